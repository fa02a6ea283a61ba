/** The annotation that names a service's GitHub repository: migrated docs are delivered there. */
export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';
