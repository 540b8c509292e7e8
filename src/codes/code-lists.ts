/**
 * The code lists of domain.md as data. Codes are stable lower_snake_case
 * strings (what the database and the API store); labels are data (what
 * people read), in Japanese and English.
 *
 * Each list is written as a `const` tuple of codes (for `@IsIn(CHANNELS)` and
 * a derived union type) plus a label record keyed by that union, so a code
 * without a label, or a label without a code, is a compile error.
 */

export interface Label {
  ja: string;
  en: string;
}

export interface CodeEntry<C extends string = string> {
  code: C;
  label: Label;
}

/** A code list entry as the API serves it; only consultation types have children. */
export interface ApiCodeEntry {
  code: string;
  label: Label;
  children?: ApiCodeEntry[];
}

function codeList<C extends string>(codes: readonly C[], labels: Record<C, Label>): readonly CodeEntry<C>[] {
  return Object.freeze(codes.map((code) => Object.freeze({ code, label: Object.freeze({ ...labels[code] }) })));
}

// --- Users -----------------------------------------------------------------

export const ROLES = ['counselor', 'supervisor', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const ROLE_LABELS: Record<Role, Label> = {
  counselor: { ja: '相談員', en: 'Counselor' },
  supervisor: { ja: 'スーパーバイザー', en: 'Supervisor' },
  staff: { ja: '連携担当・事務', en: 'Liaison and clerical staff' },
  admin: { ja: 'システム管理者', en: 'Administrator' },
};

// --- People and households ---------------------------------------------------

/** A household member's relationship to the case subject (本児 or 妊婦). */
export const RELATIONSHIPS = [
  'mother',
  'father',
  'stepmother',
  'stepfather',
  'guardian',
  'sibling',
  'grandparent',
  'partner',
  'other',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
const RELATIONSHIP_LABELS: Record<Relationship, Label> = {
  mother: { ja: '母', en: 'Mother' },
  father: { ja: '父', en: 'Father' },
  stepmother: { ja: '継母', en: 'Stepmother' },
  stepfather: { ja: '継父', en: 'Stepfather' },
  guardian: { ja: 'その他の保護者', en: 'Other guardian' },
  sibling: { ja: 'きょうだい', en: 'Sibling' },
  grandparent: { ja: '祖父母', en: 'Grandparent' },
  partner: { ja: '母の交際相手等', en: "Parent's partner" },
  other: { ja: 'その他', en: 'Other' },
};

/**
 * domain.md names sex as a field but gives no codes. Chosen: female, male,
 * other, and unknown (not yet known, e.g. an unborn child, or not told).
 */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
const SEX_LABELS: Record<Sex, Label> = {
  female: { ja: '女', en: 'Female' },
  male: { ja: '男', en: 'Male' },
  other: { ja: 'その他', en: 'Other' },
  unknown: { ja: '不明', en: 'Unknown' },
};

/** A contact point of a person (issue 13): a phone number or an e-mail address. */
export const CONTACT_KINDS = ['phone', 'email'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
const CONTACT_KIND_LABELS: Record<ContactKind, Label> = {
  phone: { ja: '電話', en: 'Phone' },
  email: { ja: 'メール', en: 'E-mail' },
};

/** Which line it is: 携帯/自宅/勤務先, as counselors label a number on the record. */
export const CONTACT_LABELS = ['mobile', 'home', 'work', 'other'] as const;
export type ContactLabel = (typeof CONTACT_LABELS)[number];
const CONTACT_LABEL_LABELS: Record<ContactLabel, Label> = {
  mobile: { ja: '携帯', en: 'Mobile' },
  home: { ja: '自宅', en: 'Home' },
  work: { ja: '勤務先', en: 'Work' },
  other: { ja: 'その他', en: 'Other' },
};

/** Why a household's address changed: first recorded at intake, a move (転居), or a correction of a mistake. */
export const ADDRESS_CHANGES = ['intake', 'move', 'correction'] as const;
export type AddressChange = (typeof ADDRESS_CHANGES)[number];
const ADDRESS_CHANGE_LABELS: Record<AddressChange, Label> = {
  intake: { ja: '受付時', en: 'At intake' },
  move: { ja: '転居', en: 'Move' },
  correction: { ja: '訂正', en: 'Correction' },
};

// --- Cases --------------------------------------------------------------------

export const SUBJECT_KINDS = ['child', 'expectant_mother'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
const SUBJECT_KIND_LABELS: Record<SubjectKind, Label> = {
  child: { ja: '児童', en: 'Child' },
  expectant_mother: { ja: '妊婦', en: 'Expectant mother' },
};

export const CASE_STATUSES = ['intake', 'assessment', 'active', 'monitoring', 'closure_requested', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
const CASE_STATUS_LABELS: Record<CaseStatus, Label> = {
  intake: { ja: '受付', en: 'Intake' },
  assessment: { ja: '調査・アセスメント', en: 'Assessment' },
  active: { ja: '支援中', en: 'Active support' },
  monitoring: { ja: '見守り', en: 'Monitoring' },
  closure_requested: { ja: '終結申請中', en: 'Closure requested' },
  closed: { ja: '終結', en: 'Closed' },
};

export const CLOSURE_REASONS = ['resolved', 'transferred', 'moved_away', 'aged_out', 'no_contact', 'other'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];
const CLOSURE_REASON_LABELS: Record<ClosureReason, Label> = {
  resolved: { ja: '解決・改善', en: 'Resolved' },
  transferred: { ja: '移管', en: 'Transferred' },
  moved_away: { ja: '転出', en: 'Moved away' },
  aged_out: { ja: '年齢到達', en: 'Aged out' },
  no_contact: { ja: '連絡不能', en: 'No contact' },
  other: { ja: 'その他', en: 'Other' },
};

/** Registration with the regional council (要保護児童対策地域協議会, 要対協). */
export const PROTECTION_REGISTRATIONS = [
  'none',
  'support_needed',
  'protection_needed',
  'specified_expectant_mother',
] as const;
export type ProtectionRegistration = (typeof PROTECTION_REGISTRATIONS)[number];
const PROTECTION_REGISTRATION_LABELS: Record<ProtectionRegistration, Label> = {
  none: { ja: '登録なし', en: 'Not registered' },
  support_needed: { ja: '要支援児童', en: 'Child in need of support' },
  protection_needed: { ja: '要保護児童', en: 'Child in need of protection' },
  specified_expectant_mother: { ja: '特定妊婦', en: 'Specified expectant mother' },
};

export const RISK_LEVELS = ['low', 'medium', 'high', 'urgent'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
const RISK_LEVEL_LABELS: Record<RiskLevel, Label> = {
  low: { ja: '低', en: 'Low' },
  medium: { ja: '中', en: 'Medium' },
  high: { ja: '高', en: 'High' },
  urgent: { ja: '緊急', en: 'Urgent' },
};

export const ABUSE_TYPES = ['physical', 'sexual', 'psychological', 'neglect'] as const;
export type AbuseType = (typeof ABUSE_TYPES)[number];
const ABUSE_TYPE_LABELS: Record<AbuseType, Label> = {
  physical: { ja: '身体的虐待', en: 'Physical abuse' },
  sexual: { ja: '性的虐待', en: 'Sexual abuse' },
  psychological: { ja: '心理的虐待', en: 'Psychological abuse' },
  neglect: { ja: '保護の怠慢・拒否（ネグレクト）', en: 'Neglect' },
};

export const MAIN_ABUSER_RELATIONS = [
  'biological_mother',
  'biological_father',
  'other_father',
  'other_mother',
  'other',
] as const;
export type MainAbuserRelation = (typeof MAIN_ABUSER_RELATIONS)[number];
const MAIN_ABUSER_RELATION_LABELS: Record<MainAbuserRelation, Label> = {
  biological_mother: { ja: '実母', en: 'Biological mother' },
  biological_father: { ja: '実父', en: 'Biological father' },
  other_father: { ja: '実父以外の父', en: 'Father other than biological father' },
  other_mother: { ja: '実母以外の母', en: 'Mother other than biological mother' },
  other: { ja: 'その他', en: 'Other' },
};

// --- Consultations ----------------------------------------------------------------

export const CHANNELS = [
  'walk_in',
  'phone',
  'hotline',
  'letter',
  'chat',
  'web_form',
  'email',
  'home_visit',
  'outreach',
  'online',
] as const;
export type Channel = (typeof CHANNELS)[number];
const CHANNEL_LABELS: Record<Channel, Label> = {
  walk_in: { ja: '来所', en: 'Walk-in' },
  phone: { ja: '電話', en: 'Phone' },
  hotline: { ja: '子どもホットライン', en: "Children's hotline" },
  letter: { ja: '手紙相談', en: 'Letter' },
  chat: { ja: 'チャット', en: 'Chat' },
  web_form: { ja: '相談フォーム', en: 'Web form' },
  email: { ja: 'メール', en: 'E-mail' },
  home_visit: { ja: '家庭訪問', en: 'Home visit' },
  outreach: { ja: '出張相談', en: 'Outreach' },
  online: { ja: 'オンライン', en: 'Online' },
};

/** Consulter and route (相談者・相談経路): who contacted the center. */
export const ROUTES = [
  'child',
  'family',
  'neighbor',
  'school',
  'nursery',
  'medical',
  'police',
  'child_guidance_center',
  'welfare_office',
  'health_center',
  'commissioned_volunteer',
  'child_welfare_facility',
  'other',
  'anonymous',
] as const;
export type Route = (typeof ROUTES)[number];
const ROUTE_LABELS: Record<Route, Label> = {
  child: { ja: '児童本人', en: 'Child' },
  family: { ja: '家族・親戚', en: 'Family or relatives' },
  neighbor: { ja: '近隣・知人', en: 'Neighbor or acquaintance' },
  school: { ja: '学校・教育委員会', en: 'School or board of education' },
  nursery: { ja: '保育所・幼稚園・認定こども園', en: 'Nursery, kindergarten or ECEC center' },
  medical: { ja: '医療機関', en: 'Medical institution' },
  police: { ja: '警察', en: 'Police' },
  child_guidance_center: { ja: '児童相談所', en: 'Child guidance center' },
  welfare_office: { ja: '福祉事務所', en: 'Welfare office' },
  health_center: { ja: '保健所・保健センター', en: 'Public health center' },
  commissioned_volunteer: { ja: '民生委員・児童委員', en: 'Commissioned welfare volunteer' },
  child_welfare_facility: { ja: '児童福祉施設', en: 'Child welfare facility' },
  other: { ja: 'その他', en: 'Other' },
  anonymous: { ja: '匿名', en: 'Anonymous' },
};

/**
 * Consultation types (福祉行政報告例), a two-level tree. Codes are unique
 * across both levels, so one column can hold any of them.
 */
export const CONSULTATION_TYPE_GROUPS = [
  'protection',
  'health',
  'disability',
  'delinquency',
  'upbringing',
  'other',
] as const;
export type ConsultationTypeGroup = (typeof CONSULTATION_TYPE_GROUPS)[number];

export const CONSULTATION_SUBTYPES = [
  'abuse',
  'protection_other',
  'physical_disability',
  'visual_hearing',
  'speech_language',
  'severe_multiple',
  'intellectual',
  'developmental',
  'predelinquency',
  'offense',
  'behavior',
  'school_refusal',
  'aptitude',
  'parenting',
] as const;
export type ConsultationSubtype = (typeof CONSULTATION_SUBTYPES)[number];

/** Every consultation type code, top level and second level. */
export const CONSULTATION_TYPE_CODES = [...CONSULTATION_TYPE_GROUPS, ...CONSULTATION_SUBTYPES] as const;
export type ConsultationTypeCode = (typeof CONSULTATION_TYPE_CODES)[number];

/**
 * What a consultation (and a case's main type) records: a leaf, or a top-level
 * type that has no children. Tree order, as the annual report lists them.
 */
export const ASSIGNABLE_CONSULTATION_TYPES = [
  'abuse',
  'protection_other',
  'health',
  'physical_disability',
  'visual_hearing',
  'speech_language',
  'severe_multiple',
  'intellectual',
  'developmental',
  'predelinquency',
  'offense',
  'behavior',
  'school_refusal',
  'aptitude',
  'parenting',
  'other',
] as const;
export type ConsultationType = (typeof ASSIGNABLE_CONSULTATION_TYPES)[number];

const CONSULTATION_TYPE_CHILDREN: Record<ConsultationTypeGroup, readonly ConsultationSubtype[]> = {
  protection: ['abuse', 'protection_other'],
  health: [],
  disability: [
    'physical_disability',
    'visual_hearing',
    'speech_language',
    'severe_multiple',
    'intellectual',
    'developmental',
  ],
  delinquency: ['predelinquency', 'offense'],
  upbringing: ['behavior', 'school_refusal', 'aptitude', 'parenting'],
  other: [],
};

const CONSULTATION_TYPE_LABELS: Record<ConsultationTypeCode, Label> = {
  protection: { ja: '養護相談', en: 'Protection' },
  abuse: { ja: '児童虐待相談', en: 'Child abuse' },
  protection_other: { ja: 'その他の養護相談', en: 'Other protection' },
  health: { ja: '保健相談', en: 'Health' },
  disability: { ja: '障害相談', en: 'Disability' },
  physical_disability: { ja: '肢体不自由', en: 'Physical disability' },
  visual_hearing: { ja: '視聴覚障害', en: 'Visual or hearing impairment' },
  speech_language: { ja: '言語発達障害等', en: 'Speech and language disorder' },
  severe_multiple: { ja: '重症心身障害', en: 'Severe motor and intellectual disability' },
  intellectual: { ja: '知的障害', en: 'Intellectual disability' },
  developmental: { ja: '発達障害', en: 'Developmental disorder' },
  delinquency: { ja: '非行相談', en: 'Delinquency' },
  predelinquency: { ja: 'ぐ犯行為等', en: 'Pre-delinquent behavior' },
  offense: { ja: '触法行為等', en: 'Law-breaking behavior' },
  upbringing: { ja: '育成相談', en: 'Upbringing' },
  behavior: { ja: '性格行動', en: 'Personality and behavior' },
  school_refusal: { ja: '不登校', en: 'School non-attendance' },
  aptitude: { ja: '適性', en: 'Aptitude' },
  parenting: { ja: '育児・しつけ', en: 'Parenting and discipline' },
  other: { ja: 'その他の相談', en: 'Other' },
};

export interface ConsultationTypeNode {
  code: ConsultationTypeGroup;
  label: Label;
  children: readonly CodeEntry<ConsultationSubtype>[];
}

export const CONSULTATION_TYPE_TREE: readonly ConsultationTypeNode[] = Object.freeze(
  CONSULTATION_TYPE_GROUPS.map((group) =>
    Object.freeze({
      code: group,
      label: Object.freeze({ ...CONSULTATION_TYPE_LABELS[group] }),
      children: codeList(CONSULTATION_TYPE_CHILDREN[group], CONSULTATION_TYPE_LABELS),
    }),
  ),
);

const PARENT_OF = new Map<string, ConsultationTypeGroup>(
  CONSULTATION_TYPE_GROUPS.flatMap((group) => [
    [group, group] as const,
    ...CONSULTATION_TYPE_CHILDREN[group].map((child) => [child, group] as const),
  ]),
);

/**
 * The top-level type of a consultation type: `abuse` → `protection`; a
 * top-level code is its own parent (`health` → `health`). Undefined for a
 * string that is not a consultation type code.
 */
export function parentTypeOf(code: ConsultationTypeCode): ConsultationTypeGroup;
export function parentTypeOf(code: string): ConsultationTypeGroup | undefined;
export function parentTypeOf(code: string): ConsultationTypeGroup | undefined {
  return PARENT_OF.get(code);
}

// --- Statistics ---------------------------------------------------------------

/** The child's age band at intake; see ageBandAt in core/time/business-time. */
export const AGE_BANDS = ['under_3', 'preschool', 'elementary', 'junior_high', 'high_school_or_older'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
const AGE_BAND_LABELS: Record<AgeBand, Label> = {
  under_3: { ja: '0〜3歳未満', en: 'Under 3' },
  preschool: { ja: '3歳〜学齢前', en: '3 to school age' },
  elementary: { ja: '小学生', en: 'Elementary school' },
  junior_high: { ja: '中学生', en: 'Junior high school' },
  high_school_or_older: { ja: '高校生・その他', en: 'High school or older' },
};

// --- Referrals ----------------------------------------------------------------------

export const REFERRAL_DIRECTIONS = ['outgoing', 'incoming'] as const;
export type ReferralDirection = (typeof REFERRAL_DIRECTIONS)[number];
const REFERRAL_DIRECTION_LABELS: Record<ReferralDirection, Label> = {
  outgoing: { ja: '依頼（当センターから）', en: 'Outgoing' },
  incoming: { ja: '受付（関係機関から）', en: 'Incoming' },
};

export const REFERRAL_KINDS = ['referral', 'information_request', 'case_transfer', 'notification'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];
const REFERRAL_KIND_LABELS: Record<ReferralKind, Label> = {
  referral: { ja: '紹介', en: 'Referral' },
  information_request: { ja: '情報提供等協力依頼', en: 'Information request' },
  case_transfer: { ja: '送致・移管', en: 'Case transfer' },
  notification: { ja: '通告', en: 'Abuse notification' },
};

export const REFERRAL_URGENCIES = ['routine', 'priority', 'emergency'] as const;
export type ReferralUrgency = (typeof REFERRAL_URGENCIES)[number];
const REFERRAL_URGENCY_LABELS: Record<ReferralUrgency, Label> = {
  routine: { ja: '通常', en: 'Routine' },
  priority: { ja: '優先', en: 'Priority' },
  emergency: { ja: '緊急', en: 'Emergency' },
};

/** Legal basis for sharing personal information with another body. */
export const LEGAL_BASES = [
  'consent_subject',
  'consent_guardian',
  'council_member',
  'statutory',
  'vital_interest',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
const LEGAL_BASIS_LABELS: Record<LegalBasis, Label> = {
  consent_subject: { ja: '本人同意', en: 'Consent of the subject' },
  consent_guardian: { ja: '保護者同意', en: 'Consent of the guardian' },
  council_member: {
    ja: '要対協構成機関間の情報共有（児童福祉法第25条の3）',
    en: 'Regional council member (Child Welfare Act art. 25-3)',
  },
  statutory: { ja: '法令に基づく', en: 'Required by law' },
  vital_interest: { ja: '生命・身体の保護のため緊急', en: 'Urgent protection of life or body' },
};

export const REFERRAL_STATUSES = [
  'draft',
  'sent',
  'accepted',
  'in_progress',
  'completed',
  'declined',
  'withdrawn',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
const REFERRAL_STATUS_LABELS: Record<ReferralStatus, Label> = {
  draft: { ja: '下書き', en: 'Draft' },
  sent: { ja: '送付済み', en: 'Sent' },
  accepted: { ja: '受諾', en: 'Accepted' },
  in_progress: { ja: '対応中', en: 'In progress' },
  completed: { ja: '完了', en: 'Completed' },
  declined: { ja: '辞退', en: 'Declined' },
  withdrawn: { ja: '取下げ', en: 'Withdrawn' },
};

// --- Tasks and conferences -----------------------------------------------------------

export const TASK_KINDS = [
  'callback',
  'home_visit',
  'safety_check',
  'agency_contact',
  'case_conference',
  'review',
  'referral_followup',
  'record',
  'other',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
const TASK_KIND_LABELS: Record<TaskKind, Label> = {
  callback: { ja: '電話連絡', en: 'Callback' },
  home_visit: { ja: '家庭訪問', en: 'Home visit' },
  safety_check: { ja: '安全確認', en: 'Safety check' },
  agency_contact: { ja: '関係機関連絡', en: 'Agency contact' },
  case_conference: { ja: 'ケース会議', en: 'Case conference' },
  review: { ja: '進行管理の見直し', en: 'Progress review' },
  referral_followup: { ja: '連携先への確認', en: 'Referral follow-up' },
  record: { ja: '記録作成', en: 'Record keeping' },
  other: { ja: 'その他', en: 'Other' },
};

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
const TASK_STATUS_LABELS: Record<TaskStatus, Label> = {
  open: { ja: '未完了', en: 'Open' },
  done: { ja: '完了', en: 'Done' },
  cancelled: { ja: '取消', en: 'Cancelled' },
};

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
const TASK_PRIORITY_LABELS: Record<TaskPriority, Label> = {
  low: { ja: '低', en: 'Low' },
  normal: { ja: '通常', en: 'Normal' },
  high: { ja: '高', en: 'High' },
  urgent: { ja: '緊急', en: 'Urgent' },
};

/** What the check of a child's safety found (48-hour rule); `not_seen` is not a completion. */
export const SAFETY_CHECK_RESULTS = ['safe', 'concerns', 'not_seen'] as const;
export type SafetyCheckResult = (typeof SAFETY_CHECK_RESULTS)[number];
const SAFETY_CHECK_RESULT_LABELS: Record<SafetyCheckResult, Label> = {
  safe: { ja: '安全を確認', en: 'Seen, safe' },
  concerns: { ja: '懸念あり', en: 'Seen, with concerns' },
  not_seen: { ja: '確認できず', en: 'Not seen' },
};

/** How the child was seen: the guideline's standard is seeing the child directly (直接目視). */
export const SIGHTING_METHODS = ['direct', 'other'] as const;
export type SightingMethod = (typeof SIGHTING_METHODS)[number];
const SIGHTING_METHOD_LABELS: Record<SightingMethod, Label> = {
  direct: { ja: '直接目視', en: 'Seen directly' },
  other: { ja: 'その他の方法（関係機関による確認など）', en: 'Otherwise (e.g. confirmed by another agency)' },
};

export const CONFERENCE_KINDS = ['intake_meeting', 'case_review'] as const;
export type ConferenceKind = (typeof CONFERENCE_KINDS)[number];
const CONFERENCE_KIND_LABELS: Record<ConferenceKind, Label> = {
  intake_meeting: { ja: '受理会議', en: 'Intake meeting' },
  case_review: { ja: '個別ケース検討会議', en: 'Case review conference' },
};

// --- Support plans and services (docs/domain.md) ------------------------------------

/** A support plan version's state: drafted, submitted for approval, approved (in force), replaced by a later one. */
export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
const PLAN_STATUS_LABELS: Record<PlanStatus, Label> = {
  draft: { ja: '作成中', en: 'Draft' },
  submitted: { ja: '承認待ち', en: 'Awaiting approval' },
  approved: { ja: '承認済み（実施中）', en: 'Approved (in force)' },
  superseded: { ja: '改訂済み（旧版）', en: 'Superseded' },
};

/** What a use of a service is measured in beyond being counted: nights (a stay), hours, or nothing. */
export const SERVICE_MEASURES = ['none', 'nights', 'hours'] as const;
export type ServiceMeasure = (typeof SERVICE_MEASURES)[number];
const SERVICE_MEASURE_LABELS: Record<ServiceMeasure, Label> = {
  none: { ja: '回数のみ', en: 'Count only' },
  nights: { ja: '泊数', en: 'Nights' },
  hours: { ja: '時間数', en: 'Hours' },
};

export const SERVICE_USE_STATUSES = ['recorded', 'cancelled'] as const;
export type ServiceUseStatus = (typeof SERVICE_USE_STATUSES)[number];
const SERVICE_USE_STATUS_LABELS: Record<ServiceUseStatus, Label> = {
  recorded: { ja: '記録済み', en: 'Recorded' },
  cancelled: { ja: '取消', en: 'Cancelled' },
};

// --- Directory ----------------------------------------------------------------

export const ORGANIZATION_KINDS = ['internal', 'external'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
const ORGANIZATION_KIND_LABELS: Record<OrganizationKind, Label> = {
  internal: { ja: '庁内', en: 'Internal (city hall)' },
  external: { ja: '関係機関', en: 'External agency' },
};

/**
 * domain.md describes the directory but names no organization types; this
 * list covers the bodies it mentions. City departments (おやこ応援課,
 * 教育委員会, 愛育センター, ...) are all `municipal_department`.
 */
export const ORGANIZATION_TYPES = [
  'municipal_department',
  'child_guidance_center',
  'school',
  'nursery',
  'hospital',
  'police',
  'womens_consultation_center',
  'mother_child_facility',
  'youth_support_station',
  'health_center',
  'welfare_office',
  'other',
] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];
const ORGANIZATION_TYPE_LABELS: Record<OrganizationType, Label> = {
  municipal_department: { ja: '庁内部署', en: 'Municipal department' },
  child_guidance_center: { ja: '児童相談所', en: 'Child guidance center' },
  school: { ja: '学校', en: 'School' },
  nursery: { ja: '保育所・幼稚園・認定こども園', en: 'Nursery or kindergarten' },
  hospital: { ja: '医療機関', en: 'Hospital or clinic' },
  police: { ja: '警察', en: 'Police' },
  womens_consultation_center: { ja: '女性相談支援センター', en: "Women's consultation and support center" },
  mother_child_facility: { ja: '母子生活支援施設', en: 'Mother and child support facility' },
  youth_support_station: { ja: '地域若者サポートステーション', en: 'Youth support station' },
  health_center: { ja: '保健所・保健センター', en: 'Public health center' },
  welfare_office: { ja: '福祉事務所', en: 'Welfare office' },
  other: { ja: 'その他', en: 'Other' },
};

export const DISTRICT_MEMBER_ROLES = ['member', 'lead'] as const;
export type DistrictMemberRole = (typeof DISTRICT_MEMBER_ROLES)[number];
const DISTRICT_MEMBER_ROLE_LABELS: Record<DistrictMemberRole, Label> = {
  member: { ja: '地区担当', en: 'Member' },
  lead: { ja: '地区リーダー', en: 'Lead' },
};

// --- What happened: actions, events, origins, notifications, audit -----------------------
//
// These codes are not chosen by a user in a form; the code writes them (a
// transition's action, a case event's kind, a notification's kind, an audit
// entry's action) and the API answers them. Each write path is typed with the
// union below, so a new code is a compile error until it is listed here, and
// a listed code without a label is a compile error too (test/codes/emitted-codes.test.ts
// also checks every literal the code writes).

/** Case transitions (domain.md, the case lifecycle); the table is cases/case-lifecycle.ts. */
export const CASE_ACTIONS = [
  'accept',
  'reject',
  'start_support',
  'monitor',
  'resume',
  'request_closure',
  'approve_closure',
  'reject_closure',
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
const CASE_ACTION_LABELS: Record<CaseAction, Label> = {
  accept: { ja: '受理', en: 'Accept' },
  reject: { ja: '不受理', en: 'Reject' },
  start_support: { ja: '支援開始', en: 'Start support' },
  monitor: { ja: '見守りへ移行', en: 'Move to monitoring' },
  resume: { ja: '支援再開', en: 'Resume support' },
  request_closure: { ja: '終結申請', en: 'Request closure' },
  approve_closure: { ja: '終結承認', en: 'Approve closure' },
  reject_closure: { ja: '終結差戻し', en: 'Reject closure' },
  reopen: { ja: '再開（再受理）', en: 'Reopen' },
};

/** Referral transitions; the table is referrals/referral-lifecycle.ts. */
export const REFERRAL_ACTIONS = ['send', 'accept', 'decline', 'start', 'complete', 'withdraw'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];
const REFERRAL_ACTION_LABELS: Record<ReferralAction, Label> = {
  send: { ja: '送付', en: 'Send' },
  accept: { ja: '受諾', en: 'Accept' },
  decline: { ja: '辞退', en: 'Decline' },
  start: { ja: '対応開始', en: 'Start' },
  complete: { ja: '完了', en: 'Complete' },
  withdraw: { ja: '取下げ', en: 'Withdraw' },
};

/** A line of a referral's history: its creation, then each transition. */
export const REFERRAL_EVENT_ACTIONS = ['created', ...REFERRAL_ACTIONS] as const;
export type ReferralEventAction = (typeof REFERRAL_EVENT_ACTIONS)[number];
const REFERRAL_EVENT_ACTION_LABELS: Record<ReferralEventAction, Label> = {
  created: { ja: '作成', en: 'Created' },
  ...REFERRAL_ACTION_LABELS,
};

/** Support plan transitions; the table is plans/plan-lifecycle.ts. */
export const PLAN_ACTIONS = ['submit', 'approve', 'return'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];
const PLAN_ACTION_LABELS: Record<PlanAction, Label> = {
  submit: { ja: '承認申請', en: 'Submit for approval' },
  approve: { ja: '承認', en: 'Approve' },
  return: { ja: '差戻し', en: 'Return for changes' },
};

/** A line of a case's timeline (case_events.kind). */
export const CASE_EVENT_KINDS = [
  'opened',
  'transition',
  'assignment',
  'update',
  'consultation_added',
  'moved',
  'task_postponed',
  'task_cancelled',
  'safety_check_not_seen',
] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];
const CASE_EVENT_KIND_LABELS: Record<CaseEventKind, Label> = {
  opened: { ja: 'ケース開始', en: 'Case opened' },
  transition: { ja: '状態の変更', en: 'Status changed' },
  assignment: { ja: '担当の変更', en: 'Assignment changed' },
  update: { ja: 'ケース情報の更新', en: 'Case updated' },
  consultation_added: { ja: '相談の記録', en: 'Consultation recorded' },
  moved: { ja: '世帯の転居', en: 'Household moved' },
  task_postponed: { ja: 'ルールによるタスクの延期', en: 'Rule task postponed' },
  task_cancelled: { ja: 'ルールによるタスクの取消', en: 'Rule task cancelled' },
  safety_check_not_seen: { ja: '安全確認：児童を確認できず', en: 'Safety check: child not seen' },
};

/** Who made a task: a person (`manual`) or one of the rules the system runs (domain.md, follow-up tasks). */
export const TASK_ORIGINS = ['manual', 'rule_48h', 'review', 'conference', 'referral_followup', 'plan'] as const;
export type TaskOrigin = (typeof TASK_ORIGINS)[number];
const TASK_ORIGIN_LABELS: Record<TaskOrigin, Label> = {
  manual: { ja: '手動登録', en: 'Created by a person' },
  rule_48h: { ja: '48時間ルール（安全確認）', en: '48-hour rule (safety check)' },
  review: { ja: '定期見直し', en: 'Periodic review' },
  conference: { ja: '会議の決定', en: 'Conference decision' },
  referral_followup: { ja: '連携の回答期限', en: 'Referral response due' },
  plan: { ja: '支援計画', en: 'Support plan' },
};

/** What an in-app notification is about (notifications.kind). */
export const NOTIFICATION_KINDS = [
  'abuse_reported',
  'safety_check_12h_left',
  'safety_check_overdue',
  'safety_check_not_seen',
  'case_assigned',
  'consultation_by_other',
  'case_transfer_completed',
  'task_assigned',
  'task_unassigned',
  'task_fallback',
  'task_reminder',
  'task_due',
  'task_escalated',
  'rule_task_postponed',
  'rule_task_cancelled',
  'referral_overdue',
  'plan_missing',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
const NOTIFICATION_KIND_LABELS: Record<NotificationKind, Label> = {
  abuse_reported: { ja: '虐待相談の受付（48時間以内の安全確認）', en: 'Abuse reported (safety check within 48 h)' },
  safety_check_12h_left: { ja: '安全確認の期限まで12時間', en: 'Safety check: 12 hours left' },
  safety_check_overdue: { ja: '安全確認の期限超過', en: 'Safety check overdue' },
  safety_check_not_seen: { ja: '安全確認：児童を確認できず', en: 'Safety check: child not seen' },
  case_assigned: { ja: 'ケースの担当', en: 'Case assigned to you' },
  consultation_by_other: { ja: '担当外の職員による相談の記録', en: 'Consultation recorded by another staff member' },
  case_transfer_completed: { ja: '移管の完了', en: 'Case transfer completed' },
  task_assigned: { ja: 'タスクの担当', en: 'Task assigned to you' },
  task_unassigned: { ja: 'タスクの担当の解除', en: 'Task handed to someone else' },
  task_fallback: { ja: '担当者のいないタスク', en: 'Task without an active assignee' },
  task_reminder: { ja: 'タスクの期限前通知', en: 'Task reminder' },
  task_due: { ja: 'タスクの期限', en: 'Task due' },
  task_escalated: { ja: 'タスクの期限超過（エスカレーション）', en: 'Task overdue (escalated)' },
  rule_task_postponed: { ja: 'ルールによるタスクの延期', en: 'Rule task postponed' },
  rule_task_cancelled: { ja: 'ルールによるタスクの取消', en: 'Rule task cancelled' },
  referral_overdue: { ja: '連携先の回答期限超過', en: 'Referral response overdue' },
  plan_missing: { ja: '支援計画の未作成', en: 'Support plan missing' },
};

/** What an audit entry records (audit_events.action). */
export const AUDIT_ACTIONS = [
  'read',
  'list',
  'create',
  'update',
  'transition',
  'assign',
  'export',
  'login',
  'refresh',
  'login_failed',
  'logout',
  'token_reuse',
  'password_change',
  'password_reset',
  'deactivate',
  'membership_start',
  'membership_end',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
const AUDIT_ACTION_LABELS: Record<AuditAction, Label> = {
  read: { ja: '閲覧', en: 'Read' },
  list: { ja: '一覧の閲覧', en: 'List' },
  create: { ja: '作成', en: 'Create' },
  update: { ja: '更新', en: 'Update' },
  transition: { ja: '状態の変更', en: 'Transition' },
  assign: { ja: '担当の変更', en: 'Assign' },
  export: { ja: '出力', en: 'Export' },
  login: { ja: 'ログイン', en: 'Log in' },
  refresh: { ja: 'トークンの更新', en: 'Token refresh' },
  login_failed: { ja: 'ログイン失敗', en: 'Failed login' },
  logout: { ja: 'ログアウト', en: 'Log out' },
  token_reuse: { ja: '使用済みトークンの再使用', en: 'Reuse of a spent token' },
  password_change: { ja: 'パスワード変更', en: 'Password change' },
  password_reset: { ja: 'パスワード再設定', en: 'Password reset' },
  deactivate: { ja: '利用停止', en: 'Deactivate' },
  membership_start: { ja: '所属の開始', en: 'Membership start' },
  membership_end: { ja: '所属の終了', en: 'Membership end' },
};

/** What an audit entry is about (audit_events.entity_type). */
export const AUDIT_ENTITY_TYPES = [
  'case',
  'case_events',
  'case_record',
  'consultation',
  'household',
  'household_match',
  'contact_details',
  'contact_point',
  'task',
  'conference',
  'conferences',
  'referral',
  'support_plan',
  'support_plans',
  'service',
  'service_use',
  'service_uses',
  'statistics',
  'statistics_export',
  'user',
  'district',
  'district_member',
  'district_supervisor',
  'organization',
  'audit_event',
  'audit_chain',
  'demo_data',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];
const AUDIT_ENTITY_TYPE_LABELS: Record<AuditEntityType, Label> = {
  case: { ja: 'ケース', en: 'Case' },
  case_events: { ja: 'ケースの経過', en: 'Case timeline' },
  case_record: { ja: '児童記録票', en: 'Child record' },
  consultation: { ja: '相談', en: 'Consultation' },
  household: { ja: '世帯', en: 'Household' },
  household_match: { ja: '世帯の照合', en: 'Household match' },
  contact_details: { ja: '連絡先一覧', en: 'Contact details' },
  contact_point: { ja: '連絡先', en: 'Contact point' },
  task: { ja: 'タスク', en: 'Task' },
  conference: { ja: '会議', en: 'Conference' },
  conferences: { ja: '会議の一覧', en: 'Conference list' },
  referral: { ja: '連携', en: 'Referral' },
  support_plan: { ja: '支援計画', en: 'Support plan' },
  support_plans: { ja: '支援計画の一覧', en: 'Support plan list' },
  service: { ja: 'サービス', en: 'Service' },
  service_use: { ja: 'サービス利用', en: 'Service use' },
  service_uses: { ja: 'サービス利用の一覧', en: 'Service use list' },
  statistics: { ja: '統計', en: 'Statistics' },
  statistics_export: { ja: '統計の出力', en: 'Statistics export' },
  user: { ja: '職員', en: 'User' },
  district: { ja: '地区', en: 'District' },
  district_member: { ja: '地区の担当者', en: 'District member' },
  district_supervisor: { ja: '地区のスーパーバイザー', en: 'District supervisor' },
  organization: { ja: '関係機関', en: 'Organization' },
  audit_event: { ja: '監査記録', en: 'Audit entry' },
  audit_chain: { ja: '監査記録の検証', en: 'Audit chain verification' },
  demo_data: { ja: 'デモデータ', en: 'Demo data' },
};

// --- All lists ------------------------------------------------------------------------

/**
 * Every flat code list by its API name. Consultation types appear here as
 * the flat list of all codes (both levels); the API nests them.
 */
export const CODE_LISTS = Object.freeze({
  roles: codeList(ROLES, ROLE_LABELS),
  relationships: codeList(RELATIONSHIPS, RELATIONSHIP_LABELS),
  sexes: codeList(SEXES, SEX_LABELS),
  contactKinds: codeList(CONTACT_KINDS, CONTACT_KIND_LABELS),
  contactLabels: codeList(CONTACT_LABELS, CONTACT_LABEL_LABELS),
  addressChanges: codeList(ADDRESS_CHANGES, ADDRESS_CHANGE_LABELS),
  subjectKinds: codeList(SUBJECT_KINDS, SUBJECT_KIND_LABELS),
  caseStatuses: codeList(CASE_STATUSES, CASE_STATUS_LABELS),
  closureReasons: codeList(CLOSURE_REASONS, CLOSURE_REASON_LABELS),
  protectionRegistrations: codeList(PROTECTION_REGISTRATIONS, PROTECTION_REGISTRATION_LABELS),
  riskLevels: codeList(RISK_LEVELS, RISK_LEVEL_LABELS),
  abuseTypes: codeList(ABUSE_TYPES, ABUSE_TYPE_LABELS),
  mainAbuserRelations: codeList(MAIN_ABUSER_RELATIONS, MAIN_ABUSER_RELATION_LABELS),
  channels: codeList(CHANNELS, CHANNEL_LABELS),
  routes: codeList(ROUTES, ROUTE_LABELS),
  consultationTypes: codeList(CONSULTATION_TYPE_CODES, CONSULTATION_TYPE_LABELS),
  ageBands: codeList(AGE_BANDS, AGE_BAND_LABELS),
  referralDirections: codeList(REFERRAL_DIRECTIONS, REFERRAL_DIRECTION_LABELS),
  referralKinds: codeList(REFERRAL_KINDS, REFERRAL_KIND_LABELS),
  referralUrgencies: codeList(REFERRAL_URGENCIES, REFERRAL_URGENCY_LABELS),
  legalBases: codeList(LEGAL_BASES, LEGAL_BASIS_LABELS),
  referralStatuses: codeList(REFERRAL_STATUSES, REFERRAL_STATUS_LABELS),
  taskKinds: codeList(TASK_KINDS, TASK_KIND_LABELS),
  taskStatuses: codeList(TASK_STATUSES, TASK_STATUS_LABELS),
  taskPriorities: codeList(TASK_PRIORITIES, TASK_PRIORITY_LABELS),
  safetyCheckResults: codeList(SAFETY_CHECK_RESULTS, SAFETY_CHECK_RESULT_LABELS),
  sightingMethods: codeList(SIGHTING_METHODS, SIGHTING_METHOD_LABELS),
  conferenceKinds: codeList(CONFERENCE_KINDS, CONFERENCE_KIND_LABELS),
  planStatuses: codeList(PLAN_STATUSES, PLAN_STATUS_LABELS),
  serviceMeasures: codeList(SERVICE_MEASURES, SERVICE_MEASURE_LABELS),
  serviceUseStatuses: codeList(SERVICE_USE_STATUSES, SERVICE_USE_STATUS_LABELS),
  organizationKinds: codeList(ORGANIZATION_KINDS, ORGANIZATION_KIND_LABELS),
  organizationTypes: codeList(ORGANIZATION_TYPES, ORGANIZATION_TYPE_LABELS),
  districtMemberRoles: codeList(DISTRICT_MEMBER_ROLES, DISTRICT_MEMBER_ROLE_LABELS),
  caseActions: codeList(CASE_ACTIONS, CASE_ACTION_LABELS),
  referralActions: codeList(REFERRAL_ACTIONS, REFERRAL_ACTION_LABELS),
  referralEventActions: codeList(REFERRAL_EVENT_ACTIONS, REFERRAL_EVENT_ACTION_LABELS),
  planActions: codeList(PLAN_ACTIONS, PLAN_ACTION_LABELS),
  caseEventKinds: codeList(CASE_EVENT_KINDS, CASE_EVENT_KIND_LABELS),
  taskOrigins: codeList(TASK_ORIGINS, TASK_ORIGIN_LABELS),
  notificationKinds: codeList(NOTIFICATION_KINDS, NOTIFICATION_KIND_LABELS),
  auditActions: codeList(AUDIT_ACTIONS, AUDIT_ACTION_LABELS),
  auditEntityTypes: codeList(AUDIT_ENTITY_TYPES, AUDIT_ENTITY_TYPE_LABELS),
});
export type CodeListName = keyof typeof CODE_LISTS;

/** Label of a code in a list, or undefined if the code is not in it. */
export function labelOf(list: CodeListName, code: string): Label | undefined {
  const entries: readonly CodeEntry[] = CODE_LISTS[list];
  return entries.find((entry) => entry.code === code)?.label;
}

/**
 * All code lists as the API serves them (camelCase list names), fresh
 * objects on every call. `consultationTypes` is the tree: top-level types
 * with their children nested; a top-level type without children has none.
 */
export function codeListsForApi(): Record<string, ApiCodeEntry[]> {
  const copy = (entry: CodeEntry): ApiCodeEntry => ({ code: entry.code, label: { ...entry.label } });
  const result: Record<string, ApiCodeEntry[]> = {};
  for (const [name, entries] of Object.entries(CODE_LISTS) as [CodeListName, readonly CodeEntry[]][]) {
    result[name] = entries.map(copy);
  }
  result.consultationTypes = CONSULTATION_TYPE_TREE.map((node) => ({
    ...copy(node),
    ...(node.children.length > 0 ? { children: node.children.map(copy) } : {}),
  }));
  return result;
}
