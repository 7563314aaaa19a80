import { useEffect, useRef, useState } from 'react';

import { resourceErrorMessage } from '../resources';

export interface Loaded<T> {
  value?: T;
  loading: boolean;
  error?: string;
}

interface State<T> extends Loaded<T> {
  /** The key the value or error belongs to. */
  key: string;
}

/**
 * Runs `load` whenever `key` changes (never when `load` is undefined) and keeps only the newest answer, so a
 * slow look-up for an old selection cannot overwrite the current one. The answer for an earlier key is never
 * returned: while the new one loads there is no value, so an editor cannot offer a list that belongs to other
 * nodes or another room.
 */
export function useLoader<T>(load: (() => Promise<T>) | undefined, key: string): Loaded<T> {
  const [state, setState] = useState<State<T>>({ key, loading: !!load });
  const loadRef = useRef(load);
  const enabled = !!load;

  // Declared first, so it runs before the effect below reads the newest loader.
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    const current = loadRef.current;
    if (!current) {
      setState({ key, loading: false });
      return;
    }
    let live = true;
    setState({ key, loading: true });
    current().then(
      (value) => live && setState({ key, value, loading: false }),
      (err: unknown) => live && setState({ key, loading: false, error: resourceErrorMessage(err) })
    );
    return () => {
      live = false;
    };
  }, [key, enabled]);

  if (state.key !== key) {
    // The key changed in this render; the effect has not started the new look-up yet.
    return { loading: enabled };
  }
  return { value: state.value, loading: state.loading, error: state.error };
}
