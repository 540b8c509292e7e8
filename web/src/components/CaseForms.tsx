import { Button, Checkbox, Modal, MultiSelect, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { useOptions } from '../codes';
import { fromJstLocalInput, toJstLocalInput } from '../format';
import { fieldErrorsOf } from '../problems';
import { useUser } from '../session';
import { ErrorBanner, DialogActions } from './ui';

type CaseDetail = Schemas['CaseDetail'];

/**
 * The case's assessment (risk, council registration, flags) with If-Match:
 * a stale version is the API's 409, said in words with a reload.
 * `confidential` is a supervisor's (access.md), so only they see it.
 */
export function EditCaseButton({ c, onReload }: { c: CaseDetail; onReload: () => void }) {
  const user = useUser();
  const queryClient = useQueryClient();
  const risks = useOptions('riskLevels');
  const protections = useOptions('protectionRegistrations');
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({ risk: c.risk, protection: c.protection, ...c.flags });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/cases/{id}', {
          params: { path: { id: c.id }, header: { 'If-Match': `"${c.version}"` } },
          body: {
            risk: f.risk as Schemas['UpdateCaseDto']['risk'],
            protection: f.protection as Schemas['UpdateCaseDto']['protection'],
            dvInvolved: f.dvInvolved,
            youngCarer: f.youngCarer,
            ...(user.has('supervisor') ? { confidential: f.confidential } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['case', c.id] });
    },
  });
  const e = fieldErrorsOf(save.error);
  return (
    <>
      <Button
        size="compact-sm"
        variant="default"
        onClick={() => {
          setF({ risk: c.risk, protection: c.protection, ...c.flags });
          save.reset();
          setOpen(true);
        }}
      >
        アセスメント編集
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`アセスメント：${c.number}`}>
        <Stack gap="sm">
          <ErrorBanner
            error={save.error}
            onReload={() => {
              setOpen(false);
              onReload();
            }}
          />
          <Select
            label="リスク"
            data={risks}
            value={f.risk}
            onChange={(v) => setF({ ...f, risk: v })}
            clearable
            error={e.risk}
          />
          <Select
            label="要対協登録"
            data={protections}
            value={f.protection}
            onChange={(v) => setF({ ...f, protection: v ?? f.protection })}
            allowDeselect={false}
            error={e.protection}
          />
          <Checkbox
            label="DVあり"
            checked={f.dvInvolved}
            onChange={(x) => setF({ ...f, dvInvolved: x.currentTarget.checked })}
          />
          <Checkbox
            label="ヤングケアラー"
            checked={f.youngCarer}
            onChange={(x) => setF({ ...f, youngCarer: x.currentTarget.checked })}
          />
          {user.has('supervisor') && (
            <Checkbox
              label="秘匿（担当者とスーパーバイザーのみ閲覧）"
              checked={f.confidential}
              onChange={(x) => setF({ ...f, confidential: x.currentTarget.checked })}
            />
          )}
          <DialogActions
            onCancel={() => setOpen(false)}
            onConfirm={() => save.mutate()}
            label="保存する"
            loading={save.isPending}
          />
        </Stack>
      </Modal>
    </>
  );
}

/** The district's current members, for choosing an assignee or attendees (district members only). */
function useDistrictPeople(districtId: string | null) {
  const members = useQuery({
    queryKey: ['district-members', districtId],
    enabled: !!districtId,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/districts/{id}/members', { params: { path: { id: districtId! } } })),
  });
  return (members.data?.items ?? []).filter((m) => !m.validTo).map((m) => ({ value: m.userId, label: m.displayName }));
}

/** A follow-up task on the case, for oneself or a member of the case's district. */
export function NewTaskButton({ c }: { c: CaseDetail }) {
  const user = useUser();
  const queryClient = useQueryClient();
  const kinds = useOptions('taskKinds').filter((k) => k.value !== 'safety_check' && k.value !== 'referral_followup');
  const priorities = useOptions('taskPriorities');
  const people = useDistrictPeople(c.districtId);
  const [open, setOpen] = useState(false);
  const tomorrow = new Date(Date.now() + 24 * 3_600_000);
  const [f, setF] = useState({
    kind: 'callback',
    title: '',
    dueAt: toJstLocalInput(tomorrow),
    assigneeId: user.id,
    priority: 'normal',
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/tasks', {
          params: { path: { id: c.id } },
          body: {
            kind: f.kind as Schemas['CreateTaskDto']['kind'],
            title: f.title,
            dueAt: fromJstLocalInput(f.dueAt),
            assigneeId: f.assigneeId,
            priority: f.priority as Schemas['CreateTaskDto']['priority'],
          },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
  const e = fieldErrorsOf(save.error);
  const assignees = people.some((p) => p.value === user.id)
    ? people
    : [{ value: user.id, label: user.displayName }, ...people];
  return (
    <>
      <Button size="compact-sm" onClick={() => setOpen(true)}>
        タスクを追加
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="タスクを追加">
        <Stack gap="sm">
          <ErrorBanner error={save.error} />
          <SimpleGrid cols={2} spacing="xs">
            <Select
              label="種別"
              data={kinds}
              value={f.kind}
              onChange={(v) => setF({ ...f, kind: v ?? f.kind })}
              error={e.kind}
            />
            <Select
              label="優先度"
              data={priorities}
              value={f.priority}
              onChange={(v) => setF({ ...f, priority: v ?? f.priority })}
              error={e.priority}
            />
          </SimpleGrid>
          <TextInput
            label="件名"
            required
            value={f.title}
            onChange={(x) => setF({ ...f, title: x.currentTarget.value })}
            error={e.title}
          />
          <TextInput
            type="datetime-local"
            label="期限"
            value={f.dueAt}
            onChange={(x) => setF({ ...f, dueAt: x.currentTarget.value })}
            error={e.dueAt}
          />
          <Select
            label="担当者"
            data={assignees}
            value={f.assigneeId}
            onChange={(v) => setF({ ...f, assigneeId: v ?? f.assigneeId })}
            error={e.assigneeId}
          />
          <DialogActions
            onCancel={() => setOpen(false)}
            onConfirm={() => save.mutate()}
            label="追加する"
            loading={save.isPending}
          />
        </Stack>
      </Modal>
    </>
  );
}

/** A case conference (受理会議 or 進行管理会議) with its decisions and next review. */
export function NewConferenceButton({ c }: { c: CaseDetail }) {
  const queryClient = useQueryClient();
  const kinds = useOptions('conferenceKinds');
  const people = useDistrictPeople(c.districtId);
  const orgs = useQuery({
    queryKey: ['organizations'],
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 100 } } })),
  });
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({
    kind: 'case_review',
    heldAt: toJstLocalInput(new Date()),
    attendeeUserIds: [] as string[],
    attendeeOrganizationIds: [] as string[],
    decisions: '',
    nextReviewAt: '',
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/conferences', {
          params: { path: { id: c.id } },
          body: {
            kind: f.kind as Schemas['CreateConferenceDto']['kind'],
            heldAt: fromJstLocalInput(f.heldAt),
            attendeeUserIds: f.attendeeUserIds,
            attendeeOrganizationIds: f.attendeeOrganizationIds,
            decisions: f.decisions,
            ...(f.nextReviewAt ? { nextReviewAt: fromJstLocalInput(`${f.nextReviewAt}T09:00`) } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['case', c.id] });
    },
  });
  const e = fieldErrorsOf(save.error);
  return (
    <>
      <Button size="compact-sm" onClick={() => setOpen(true)}>
        会議を記録
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="会議の記録" size="lg">
        <Stack gap="sm">
          <ErrorBanner error={save.error} />
          <SimpleGrid cols={2} spacing="xs">
            <Select
              label="会議の種類"
              data={kinds}
              value={f.kind}
              onChange={(v) => setF({ ...f, kind: v ?? f.kind })}
              error={e.kind}
            />
            <TextInput
              type="datetime-local"
              label="開催日時"
              value={f.heldAt}
              onChange={(x) => setF({ ...f, heldAt: x.currentTarget.value })}
              error={e.heldAt}
            />
          </SimpleGrid>
          <MultiSelect
            label="出席者（職員）"
            data={people}
            value={f.attendeeUserIds}
            onChange={(v) => setF({ ...f, attendeeUserIds: v })}
            error={e.attendeeUserIds}
          />
          <MultiSelect
            label="出席機関"
            data={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            value={f.attendeeOrganizationIds}
            onChange={(v) => setF({ ...f, attendeeOrganizationIds: v })}
            searchable
            error={e.attendeeOrganizationIds}
          />
          <Textarea
            label="決定事項"
            required
            autosize
            minRows={3}
            value={f.decisions}
            onChange={(x) => setF({ ...f, decisions: x.currentTarget.value })}
            error={e.decisions}
          />
          <TextInput
            type="date"
            label="次回見直し日"
            value={f.nextReviewAt}
            onChange={(x) => setF({ ...f, nextReviewAt: x.currentTarget.value })}
            error={e.nextReviewAt}
          />
          <DialogActions
            onCancel={() => setOpen(false)}
            onConfirm={() => save.mutate()}
            label="記録する"
            loading={save.isPending}
          />
        </Stack>
      </Modal>
    </>
  );
}
