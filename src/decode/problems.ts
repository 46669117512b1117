/** Problems found while decoding: the artifact is still indexed, the problem is reported. */

/** One non-fatal decoding problem (stored with the crawl's errors). */
export interface DecodeProblem {
  code: 'invalid_json_annotation' | 'invalid_config' | 'invalid_manifest';
  message: string;
}

/** A problem, built in one place so messages stay uniform. */
export function decodeProblem(code: DecodeProblem['code'], message: string): DecodeProblem {
  return { code, message };
}
