export {
  AnalyzeErrorForm,
  GenerateCodeForm,
  GenerateDocsForm,
  ReviewDiffForm,
} from './CapabilityForms';
