import {
  ApiCodeEntry,
  ASSIGNABLE_CONSULTATION_TYPES,
  CHANNELS,
  CODE_LISTS,
  codeListsForApi,
  CONSULTATION_SUBTYPES,
  CONSULTATION_TYPE_CODES,
  CONSULTATION_TYPE_GROUPS,
  CONSULTATION_TYPE_TREE,
  labelOf,
  parentTypeOf,
  ROLES,
} from '../../src/codes/code-lists';

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

describe('code lists', () => {
  const api = codeListsForApi();
  const flatten = (entries: ApiCodeEntry[]): ApiCodeEntry[] =>
    entries.flatMap((e) => [e, ...flatten(e.children ?? [])]);

  it.each(Object.keys(api))('%s: codes are lower_snake_case and unique, labels present', (name) => {
    const entries = flatten(api[name]);
    expect(entries.length).toBeGreaterThan(0);
    const codes = entries.map((e) => e.code);
    for (const code of codes) expect(code).toMatch(SNAKE);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of entries) {
      expect(entry.label.ja.trim()).not.toBe('');
      expect(entry.label.en.trim()).not.toBe('');
    }
  });

  it('serves every list under a camelCase name', () => {
    expect(Object.keys(api).sort()).toEqual(Object.keys(CODE_LISTS).sort());
    for (const name of Object.keys(api)) expect(name).toMatch(/^[a-z][a-zA-Z]*$/);
    expect(api).toMatchObject({
      channels: expect.any(Array),
      routes: expect.any(Array),
      consultationTypes: expect.any(Array),
    });
  });

  it('keeps the code tuples and the served lists in step', () => {
    expect(api.roles.map((e) => e.code)).toEqual([...ROLES]);
    expect(api.channels.map((e) => e.code)).toEqual([...CHANNELS]);
    expect(api.channels[0]).toEqual({ code: 'walk_in', label: { ja: '来所', en: 'Walk-in' } });
  });

  it('holds the codes domain.md names', () => {
    const codes = (name: keyof typeof CODE_LISTS) => CODE_LISTS[name].map((e) => e.code);
    expect(codes('caseStatuses')).toEqual([
      'intake',
      'assessment',
      'active',
      'monitoring',
      'closure_requested',
      'closed',
    ]);
    expect(codes('protectionRegistrations')).toEqual([
      'none',
      'support_needed',
      'protection_needed',
      'specified_expectant_mother',
    ]);
    expect(codes('abuseTypes')).toEqual(['physical', 'sexual', 'psychological', 'neglect']);
    expect(codes('referralKinds')).toEqual(['referral', 'information_request', 'case_transfer', 'notification']);
    expect(codes('legalBases')).toEqual([
      'consent_subject',
      'consent_guardian',
      'council_member',
      'statutory',
      'vital_interest',
    ]);
    expect(codes('ageBands')).toEqual(['under_3', 'preschool', 'elementary', 'junior_high', 'high_school_or_older']);
    expect(codes('taskKinds')).toContain('safety_check');
    expect(codes('routes')).toHaveLength(14);
    expect(codes('sexes')).toEqual(['female', 'male', 'other', 'unknown']);
    expect(codes('taskPriorities')).toEqual(['low', 'normal', 'high', 'urgent']);
  });

  it('looks up labels', () => {
    expect(labelOf('abuseTypes', 'neglect')?.ja).toBe('保護の怠慢・拒否（ネグレクト）');
    expect(labelOf('consultationTypes', 'abuse')?.ja).toBe('児童虐待相談');
    expect(labelOf('channels', 'fax')).toBeUndefined();
  });

  it('hands out copies, not the module data', () => {
    const first = codeListsForApi();
    first.channels[0].label.ja = 'changed';
    first.channels.pop();
    expect(codeListsForApi().channels[0].label.ja).toBe('来所');
    expect(codeListsForApi().channels).toHaveLength(CHANNELS.length);
    expect(Object.isFrozen(CODE_LISTS.channels[0].label)).toBe(true);
  });
});

describe('consultation types', () => {
  const tree = codeListsForApi().consultationTypes;

  it('nests children under the six top-level types', () => {
    expect(tree.map((n) => n.code)).toEqual([
      'protection',
      'health',
      'disability',
      'delinquency',
      'upbringing',
      'other',
    ]);
    const protection = tree.find((n) => n.code === 'protection');
    expect(protection).toEqual({
      code: 'protection',
      label: { ja: '養護相談', en: 'Protection' },
      children: [
        { code: 'abuse', label: { ja: '児童虐待相談', en: 'Child abuse' } },
        { code: 'protection_other', label: { ja: 'その他の養護相談', en: 'Other protection' } },
      ],
    });
    expect(tree.find((n) => n.code === 'disability')?.children).toHaveLength(6);
    expect(tree.find((n) => n.code === 'delinquency')?.children?.map((c) => c.code)).toEqual([
      'predelinquency',
      'offense',
    ]);
    expect(tree.find((n) => n.code === 'upbringing')?.children?.map((c) => c.code)).toEqual([
      'behavior',
      'school_refusal',
      'aptitude',
      'parenting',
    ]);
    expect(tree.find((n) => n.code === 'health')).not.toHaveProperty('children');
    expect(tree.find((n) => n.code === 'other')).not.toHaveProperty('children');
  });

  it('assigns leaves and childless top-level types only', () => {
    const leaves = CONSULTATION_TYPE_TREE.flatMap((node) =>
      node.children.length > 0 ? node.children.map((c) => c.code) : [node.code],
    );
    expect([...ASSIGNABLE_CONSULTATION_TYPES]).toEqual(leaves);
    expect(ASSIGNABLE_CONSULTATION_TYPES).toContain('health');
    expect(ASSIGNABLE_CONSULTATION_TYPES).toContain('other');
    expect(ASSIGNABLE_CONSULTATION_TYPES).not.toContain('protection');
    expect(ASSIGNABLE_CONSULTATION_TYPES).not.toContain('disability');
  });

  it('uses codes unique across both levels', () => {
    expect(new Set(CONSULTATION_TYPE_CODES).size).toBe(CONSULTATION_TYPE_GROUPS.length + CONSULTATION_SUBTYPES.length);
    const inTree = CONSULTATION_TYPE_TREE.flatMap((n) => [n.code, ...n.children.map((c) => c.code)]);
    expect(inTree.sort()).toEqual([...CONSULTATION_TYPE_CODES].sort());
  });

  it('finds the top-level type of any code', () => {
    expect(parentTypeOf('abuse')).toBe('protection');
    expect(parentTypeOf('protection_other')).toBe('protection');
    expect(parentTypeOf('developmental')).toBe('disability');
    expect(parentTypeOf('offense')).toBe('delinquency');
    expect(parentTypeOf('school_refusal')).toBe('upbringing');
    expect(parentTypeOf('health')).toBe('health');
    expect(parentTypeOf('other')).toBe('other');
    expect(parentTypeOf('protection')).toBe('protection');
    expect(parentTypeOf('bullying')).toBeUndefined();
    for (const code of CONSULTATION_TYPE_CODES) expect(CONSULTATION_TYPE_GROUPS).toContain(parentTypeOf(code));
  });
});
