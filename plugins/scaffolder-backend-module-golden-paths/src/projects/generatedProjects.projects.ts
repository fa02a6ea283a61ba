import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  generatedFiles,
  startScaffolder,
} from '../__testUtils__/scaffolderDryRun';
import { GoldenPath } from '../templates/goldenPathTemplates';

/**
 * The generated projects' own tests, with the toolchains this machine has offline: Go's standard library,
 * npm packages from the registry for the React and React Native apps, and for Java the plain classes with
 * Debian's JUnit 5 (Spring Boot itself is not on this machine). Run by `yarn test:golden-paths`.
 */
jest.setTimeout(15 * 60_000);

const VALUES = {
  name: 'usage-forecast',
  description:
    'Forecasts next month’s usage per tenant from the metering events.',
  owner: 'group:default/team-billing',
  system: 'system:default/invoicing',
  lifecycle: 'experimental',
  javaPackage: 'com.quillstack.forecast',
};

const projectDirs: string[] = [];
afterAll(() => {
  for (const dir of projectDirs)
    fs.rmSync(dir, { recursive: true, force: true });
});

/** Generates the golden path's repository into a fresh folder and returns it. */
async function generate(name: GoldenPath): Promise<string> {
  const { files } = await generatedFiles(await startScaffolder(), name, VALUES);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `golden-path-${name}-`));
  projectDirs.push(dir);
  for (const [file, content] of files) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return dir;
}

/** Runs a command in the generated project; a failure shows the end of what it printed. */
function sh(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
) {
  const started = Date.now();
  let output: string;
  try {
    output = execFileSync(command, args, {
      cwd,
      env: {
        ...process.env,
        CI: 'true',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        ...env,
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error: any) {
    const printed = `${error.stdout ?? ''}\n${error.stderr ?? ''}`;
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${printed.slice(-4000)}`,
    );
  }
  // eslint-disable-next-line no-console
  console.log(
    `${path.basename(cwd)}: ${command} ${args.join(' ')} (${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s)`,
  );
  return output;
}

it('the Go service builds and its tests pass with the standard library only (no module proxy)', async () => {
  const dir = await generate('go-service');
  const goEnv = {
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
    GOCACHE: path.join(os.tmpdir(), 'golden-paths-go-cache'),
  };
  sh(dir, 'go', ['vet', './...'], goEnv);
  const output = sh(dir, 'go', ['test', '-v', './...'], goEnv);
  expect(output).toContain('--- PASS: TestHealthAnswersOK');
  expect(output).toContain('--- PASS: TestPanicsAreReportedToSentry');
  expect(output).not.toContain('FAIL');
});

it('the React web app installs from the npm registry, its tests pass and it builds', async () => {
  const dir = await generate('react-web-app');
  sh(dir, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  const output = sh(dir, 'npm', ['test']);
  expect(output).toMatch(/Tests\s+3 passed/);
  sh(dir, 'npm', ['run', 'build']);
  expect(fs.existsSync(path.join(dir, 'dist', 'index.html'))).toBe(true);
});

it('the React Native app installs from the npm registry and its tests pass', async () => {
  const dir = await generate('react-native-app');
  sh(dir, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  sh(dir, 'npx', ['jest', '--ci', '--json', '--outputFile=jest-result.json']);
  const summary = JSON.parse(
    fs.readFileSync(path.join(dir, 'jest-result.json'), 'utf8'),
  );
  expect({
    passed: summary.numPassedTests,
    failed: summary.numFailedTests,
  }).toEqual({ passed: 3, failed: 0 });
});

it("the Java service's plain classes compile and their JUnit 5 tests pass (Spring Boot is not on this machine)", async () => {
  const dir = await generate('java-service');
  const packageDir = VALUES.javaPackage.replace(/\./g, '/');
  const junit = '/usr/share/java/junit-platform-console-standalone.jar';
  sh(dir, 'javac', [
    '-d',
    'out',
    '-cp',
    junit,
    `src/main/java/${packageDir}/ServiceInfo.java`,
    `src/test/java/${packageDir}/ServiceInfoTest.java`,
  ]);
  const output = sh(dir, 'java', [
    '-jar',
    junit,
    '-cp',
    'out',
    '--select-class',
    `${VALUES.javaPackage}.ServiceInfoTest`,
    '--details=summary',
    '--disable-banner',
  ]);
  expect(output).toMatch(/2 tests successful/);
  expect(output).toMatch(/0 tests failed/);
});
