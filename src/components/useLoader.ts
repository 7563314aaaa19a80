import { useEffect, useRef, useState } from 'react';

import { resourceErrorMessage } from '../resources';

export interface Loaded<T> {
  value?: T;
  loading: boolean;
  error?: string;
}

/**
 * Runs `load` whenever `key` changes (never when `load` is undefined) and keeps only the newest answer, so a
 * slow look-up for an old selection cannot overwrite the current one.
 */
export function useLoader<T>(load: (() => Promise<T>) | undefined, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: !!load });
  const loadRef = useRef(load);
  const enabled = !!load;

  // Declared first, so it runs before the effect below reads the newest loader.
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    const current = loadRef.current;
    if (!current) {
      setState({ loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ value: s.value, loading: true }));
    current().then(
      (value) => live && setState({ value, loading: false }),
      (err: unknown) => live && setState({ loading: false, error: resourceErrorMessage(err) })
    );
    return () => {
      live = false;
    };
  }, [key, enabled]);

  return state;
}
