import { undescribedAnswers } from './openapi-contract';

/**
 * Loaded into every e2e test file (jest.config.js, setupFilesAfterEnv): an answer of the test app that the
 * OpenAPI document does not describe fails the test during which it was given (or, given after
 * the last test, the file), with what the document says is wrong.
 */
function failOnUndescribedAnswers(): void {
  const found = undescribedAnswers.splice(0);
  if (found.length > 0) {
    throw new Error(`${found.length} answer(s) the OpenAPI document does not describe:\n${found.slice(0, 10).join('\n')}${found.length > 10 ? `\n… and ${found.length - 10} more` : ''}`);
  }
}

afterEach(failOnUndescribedAnswers);
afterAll(failOnUndescribedAnswers);
