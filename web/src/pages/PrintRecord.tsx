import { Button, Group, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useLabel } from '../codes';
import { ErrorBanner } from '../components/ui';
import { ageOf, formatCalendarDate, formatDate, formatDateTime, formatFiscalYear } from '../format';

/**
 * 児童記録票 + 経過記録 from the whole-record read (GET /cases/{id}/record),
 * laid out for A4 and the browser's print (console.css: @page A4).
 */
export function PrintRecordPage() {
  const { id = '' } = useParams();
  const label = useLabel();
  const query = useQuery({
    queryKey: ['case', id, 'record'],
    // The whole progress record goes on paper: every page of it, not the first.
    queryFn: async () => {
      const first = unwrap(
        await api.GET('/api/v1/cases/{id}/record', { params: { path: { id }, query: { limit: 100 } } }),
      );
      const items = [...first.progressRecord.items];
      let cursor = first.progressRecord.nextCursor;
      while (cursor) {
        const next = unwrap(
          await api.GET('/api/v1/cases/{id}/record', { params: { path: { id }, query: { limit: 100, cursor } } }),
        );
        items.push(...next.progressRecord.items);
        cursor = next.progressRecord.nextCursor;
      }
      return { ...first, progressRecord: { ...first.progressRecord, items, nextCursor: null } };
    },
  });
  if (query.isPending) return <Loader m="xl" role="status" aria-label="読み込み中" />;
  if (!query.data) return <ErrorBanner error={query.error} />;
  const { case: c, subject: s, household: h, progressRecord, referrals, conferences } = query.data;
  return (
    <main>
      <Group className="no-print" p="sm" justify="center">
        <Button onClick={() => window.print()}>印刷する</Button>
        <Button component={Link} to={`/cases/${id}`} variant="default">
          ケースに戻る
        </Button>
      </Group>
      <article className="print-sheet">
        <h1>児童記録票</h1>
        <table>
          <tbody>
            <tr>
              <th>ケース番号</th>
              <td>{c.number}</td>
              <th>年度</th>
              <td>{formatFiscalYear(c.fiscalYear)}</td>
            </tr>
            <tr>
              <th>ふりがな</th>
              <td colSpan={3}>
                {s.familyNameKana} {s.givenNameKana}
              </td>
            </tr>
            <tr>
              <th>氏名</th>
              <td>
                {s.familyName} {s.givenName}
              </td>
              <th>性別</th>
              <td>{label('sexes', s.sex)}</td>
            </tr>
            <tr>
              <th>生年月日</th>
              <td>
                {formatCalendarDate(s.birthDate)}
                {s.birthDate && `（${ageOf(s.birthDate)}歳）`}
              </td>
              <th>学校・園</th>
              <td>{s.school ?? '—'}</td>
            </tr>
            <tr>
              <th>住所</th>
              <td colSpan={3}>{h.address}</td>
            </tr>
            <tr>
              <th>状態</th>
              <td>{label('caseStatuses', c.status)}</td>
              <th>地区</th>
              <td>{c.district?.name ?? '—'}</td>
            </tr>
            <tr>
              <th>主担当</th>
              <td>{c.primaryCounselor?.displayName ?? '—'}</td>
              <th>副担当</th>
              <td>{c.coCounselors.map((u) => u.displayName).join('、') || '—'}</td>
            </tr>
            <tr>
              <th>主訴</th>
              <td>{label('consultationTypes', c.mainConsultationType)}</td>
              <th>リスク</th>
              <td>{label('riskLevels', c.risk)}</td>
            </tr>
            <tr>
              <th>虐待種別</th>
              <td>{c.abuseTypes.map((a) => label('abuseTypes', a)).join('・') || '—'}</td>
              <th>要対協</th>
              <td>{label('protectionRegistrations', c.protection)}</td>
            </tr>
            <tr>
              <th>受付日</th>
              <td>{formatDate(c.openedAt)}</td>
              <th>終結日</th>
              <td>
                {formatDate(c.closedAt)}
                {c.closureReason && `（${label('closureReasons', c.closureReason)}）`}
              </td>
            </tr>
          </tbody>
        </table>
        <h2>世帯構成</h2>
        <table>
          <tbody>
            <tr>
              <th>続柄</th>
              <th>氏名</th>
              <th>生年月日</th>
            </tr>
            {h.members.length === 0 && (
              <tr>
                <td colSpan={3}>登録なし</td>
              </tr>
            )}
            {h.members.map((m) => (
              <tr key={m.id}>
                <td>{label('relationships', m.relationship)}</td>
                <td>
                  {m.familyName} {m.givenName}
                </td>
                <td>{formatCalendarDate(m.birthDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {referrals.length > 0 && (
          <>
            <h2>送致・連携</h2>
            <table>
              <tbody>
                {referrals.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDate(r.createdAt)}</td>
                    <td>
                      {label('referralDirections', r.direction)}・{label('referralKinds', r.kind)}
                    </td>
                    <td>{r.organization.name}</td>
                    <td>{label('referralStatuses', r.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {conferences.length > 0 && (
          <>
            <h2>会議</h2>
            {conferences.map((x) => (
              <p key={x.id} className="print-entry">
                {formatDateTime(x.heldAt)} {label('conferenceKinds', x.kind)}：{x.decisions}
              </p>
            ))}
          </>
        )}
        <h2>経過記録（{progressRecord.total}件）</h2>
        <table>
          <tbody>
            <tr>
              <th>日時</th>
              <th style={{ width: 'auto' }}>内容</th>
            </tr>
            {progressRecord.items.map((x) => (
              <tr key={x.id} className="print-entry">
                <td style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(x.occurredAt)}
                  <br />
                  {label('channels', x.channel)}
                  <br />
                  {x.counselor.displayName}
                </td>
                <td className="tsunagu-wrap">
                  【{label('consultationTypes', x.consultationType)}】{x.summary}
                  {x.nextAction && `\n今後の対応：${x.nextAction}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>出力日時 {formatDateTime(query.data.readAt)}</p>
      </article>
    </main>
  );
}
