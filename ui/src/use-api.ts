/** A hook that loads one API resource per key and keeps the last answer or error. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';

/** What a load is: loading, an answer, or an error. */
export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

/** Loads `path` (null: nothing) whenever it changes; `refresh` changes to load again. */
export function useApi<T>(path: string | null, refresh = 0): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: path !== null });
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    api<T>(path)
      .then((data) => current && setState({ data, error: null, loading: false }))
      .catch((error: unknown) => {
        const failure = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
        if (current) setState({ data: null, error: failure, loading: false });
      });
    return () => {
      current = false;
    };
  }, [path, refresh]);
  return state;
}
