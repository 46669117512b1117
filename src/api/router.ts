/** The sub-app factory: every resource router validates with zod and fails in the error shape. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import { OcidexError } from '../domain/errors.js';

/** Issues at most quoted in one message. */
const MAX_ISSUES = 5;
/** Validation targets as a client names them. */
const TARGET_NAMES: Record<string, string> = { json: 'body', param: 'path', query: 'query', header: 'header' };

/** `query.limit: Too small ...; body.url: ...` — paths and zod's messages, never the input values. */
export function describeIssues(target: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = [TARGET_NAMES[target] ?? target, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > MAX_ISSUES) parts.push(`and ${error.issues.length - MAX_ISSUES} more`);
  return parts.join('; ');
}

/** A new resource router whose validation failures are `invalid_argument` (400). */
export function newRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw new OcidexError('invalid_argument', describeIssues(result.target, result.error));
    },
  });
}
