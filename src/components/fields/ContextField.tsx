import React, { useCallback, useEffect, useMemo, useRef } from 'react';
import { Combobox, ComboboxOption } from '@grafana/ui';

import type { ContextSummary } from '../../netdata/catalog';
import type { SearchResult } from '../../netdata/search';
import type { Loaded } from '../useLoader';
import { contextDescription, contextOption, searchContexts, withSearchHits } from './contextSearch';
import { isPlainName } from './staleValues';
import { DescribedField } from './DescribedField';
import { testIds } from '../../testIds';

/** Shorter texts match nearly everything: the list's own filter answers them alone. */
const MIN_SEARCH_CHARS = 2;

interface Props {
  context: string | undefined;
  list: Loaded<ContextSummary[]>;
  /** Changes with the nodes, space and room the list belongs to. */
  listKey: string;
  onChange: (context: string) => void;
  /**
   * Netdata's search over everything (`search?q=`: instances, dimensions, labels too). Its hits follow the list's
   * own matches, which stay first: before v2.6 Netdata matches whole words only, and agents without /api/v2/q
   * answer the plain list.
   */
  searchEverything?: (text: string) => Promise<SearchResult>;
}

/**
 * The context (chart type) picker. Its options come from a search function rather than a fixed list, so the
 * search covers id, title and family (Combobox itself matches the label only) and a Parent's 10 000 contexts
 * cost one filter pass per keystroke; the menu renders only its visible rows.
 */
export function ContextField({ context, list, listKey, onChange, searchEverything }: Props) {
  const waitForList = useListWhenLoaded(list);
  const search = useCallback(
    async (input: string): Promise<ComboboxOption[]> => {
      const contexts = await waitForList();
      // A failed or slow-to-fail search leaves the list's own matches: the picker never breaks on it.
      const everywhere =
        searchEverything && input.trim().length >= MIN_SEARCH_CHARS
          ? await searchEverything(input.trim()).catch(() => undefined)
          : undefined;
      const options = withSearchHits(searchContexts(contexts, input), everywhere?.contexts ?? []);
      // Typed ids, patterns and variables are offered last (Combobox's own custom value would come first, and
      // Enter after typing part of a title would pick it): text without spaces that looks like an id
      // (`type.name`), a pattern or a variable, or that matches nothing.
      const typed = input.trim();
      const idLike = /[.*$|,]/.test(typed) || options.length === 0;
      if (typed && idLike && !/\s/.test(typed) && !contexts.some((c) => c.id === typed)) {
        options.push({ value: typed, label: typed, description: 'Use this context id, pattern or $variable' });
      }
      return options;
    },
    [waitForList, searchEverything]
  );

  const known = useMemo(() => (context ? list.value?.find((c) => c.id === context) : undefined), [list.value, context]);
  const selected = useMemo<ComboboxOption | null>(
    () => (context ? (known ? contextOption(known) : { value: context, label: context }) : null),
    [context, known]
  );
  // A plain id the chosen nodes do not collect (after a node, space or room change) is marked, not kept silently.
  const missing = !!context && !!list.value && !known && isPlainName(context);
  const error = list.error
    ? `Could not load contexts: ${list.error}`
    : missing
      ? `${context} is not collected by the chosen nodes`
      : undefined;

  return (
    <DescribedField
      label="Context"
      tooltip="The Netdata chart type to query, e.g. system.cpu or disk.io. Search by id, title or family; a $variable or a pattern is accepted."
      description={known ? contextDescription(known) : undefined}
      invalid={!!error}
      error={error}
    >
      {/* A new list remounts the picker: its menu would otherwise show the last search over the old list while the
          new one loads. */}
      <Combobox
        key={listKey}
        id={testIds.queryContext}
        options={search}
        value={selected}
        onChange={(option) => onChange(option.value)}
        loading={list.loading}
        invalid={missing}
        placeholder="Choose a context"
        width={40}
      />
    </DescribedField>
  );
}

/**
 * A function answering the loaded list, waiting while it loads: the picker may open (and ask for options) before
 * the contexts of the chosen nodes have arrived. A failed look-up answers an empty list (typed values still work).
 */
function useListWhenLoaded(list: Loaded<ContextSummary[]>): () => Promise<ContextSummary[]> {
  const latest = useRef(list);
  const waiting = useRef<Array<() => void>>([]);
  useEffect(() => {
    latest.current = list;
    if (!list.loading) {
      waiting.current.splice(0).forEach((resolve) => resolve());
    }
  });
  return useCallback(async () => {
    if (latest.current.loading) {
      await new Promise<void>((resolve) => waiting.current.push(resolve));
    }
    return latest.current.value ?? [];
  }, []);
}
