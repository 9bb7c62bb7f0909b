import { expect } from "vitest";
import { ParseError } from "../../../src/ingest/parse/types";

/** The ParseError `run` throws (fails the test when it returns or throws anything else). */
export function parseErrorOf(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("expected a ParseError, but parsing succeeded");
}

/** The ParseError `promise` rejects with (fails the test when it resolves or rejects with anything else). */
export async function parseErrorOfAsync(promise: Promise<unknown>): Promise<ParseError> {
  const error = await promise.then(
    () => new Error("expected a ParseError, but parsing succeeded"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}
