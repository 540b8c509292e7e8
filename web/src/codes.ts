import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from './api/client';

type CodeEntry = Schemas['CodeEntryView'];
export type CodeLists = Record<string, CodeEntry[]>;

/** Every code list once per session (labels never change while the server runs). */
export function useCodeLists() {
  return useQuery({
    queryKey: ['code-lists'],
    queryFn: async () => unwrap(await api.GET('/api/v1/code-lists')) as unknown as CodeLists,
    staleTime: Infinity,
  });
}

function find(entries: CodeEntry[] | undefined, code: string): CodeEntry | undefined {
  for (const entry of entries ?? []) {
    if (entry.code === code) return entry;
    const child = find(entry.children, code);
    if (child) return child;
  }
  return undefined;
}

/** A code's Japanese label from /code-lists; the code itself while the lists load or for an unknown code. */
export function useLabel(): (list: string, code: string | null | undefined) => string {
  const { data } = useCodeLists();
  return (list, code) => (code ? (find(data?.[list], code)?.label.ja ?? code) : '—');
}

/** Options for a <Select>: a list's codes with their labels (a tree flattened, children indented). */
export function useOptions(list: string, { leavesOnly = false } = {}): { value: string; label: string }[] {
  const { data } = useCodeLists();
  const out: { value: string; label: string }[] = [];
  const walk = (entries: CodeEntry[] | undefined, depth: number) => {
    for (const e of entries ?? []) {
      if (!leavesOnly || !e.children?.length) {
        out.push({ value: e.code, label: leavesOnly ? e.label.ja : `${'　'.repeat(depth)}${e.label.ja}` });
      }
      walk(e.children, depth + 1);
    }
  };
  walk(data?.[list], 0);
  return out;
}
