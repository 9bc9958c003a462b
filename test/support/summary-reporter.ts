import type { Reporter, TestModule } from 'vitest/node';

/**
 * CI reads exactly one line at the end of the run: `N passed, N failed`.
 * A file that fails to load or an unhandled error counts as a failure, so a broken
 * suite can never print `0 failed`.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    for (const module of testModules) {
      let casesInModule = 0;
      for (const testCase of module.children.allTests()) {
        casesInModule += 1;
        const state = testCase.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
      }
      if (casesInModule === 0 || module.errors().length > 0) {
        if (module.state() === 'failed' || module.errors().length > 0) failed += 1;
      }
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  }
}
