import { listReadEntries, ReadAudit } from '../../src/cases/case-records';

/** A list read is audited as one entry naming the ids it returned, one per district (issue 16). */
describe('listReadEntries', () => {
  const districtOf = (r: ReadAudit) => ('districtId' in r ? r.districtId : null);

  it('names every id of a page of one district in one entry, in the order returned', () => {
    const reads: ReadAudit[] = ['a', 'b', 'c'].map((id) => ({
      entityType: 'case',
      entityId: id,
      districtId: 'd1',
      summary: { via: 'list' },
    }));
    expect(listReadEntries(reads, districtOf)).toEqual([
      { action: 'read', entityType: 'case', districtId: 'd1', summary: { via: 'list', ids: ['a', 'b', 'c'] } },
    ]);
  });

  it("splits a page across districts, so that each district's supervisors see the reads of their cases", () => {
    const reads: ReadAudit[] = [
      { entityType: 'case', entityId: 'a', districtId: 'd1' },
      { entityType: 'case', entityId: 'b', districtId: 'd2' },
      { entityType: 'case', entityId: 'c', districtId: 'd1' },
      { entityType: 'case', entityId: 'u', districtId: null },
    ];
    expect(listReadEntries(reads, districtOf)).toEqual([
      { action: 'read', entityType: 'case', districtId: 'd1', summary: { ids: ['a', 'c'] } },
      { action: 'read', entityType: 'case', districtId: 'd2', summary: { ids: ['b'] } },
      { action: 'read', entityType: 'case', districtId: null, summary: { ids: ['u'] } },
    ]);
  });

  it('writes nothing for an empty page', () => {
    expect(listReadEntries([], districtOf)).toEqual([]);
  });
});
