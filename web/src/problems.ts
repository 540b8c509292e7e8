import { ApiError } from './api/client';

/**
 * The API's field errors in Japanese, from their rule codes (api.md: every
 * field error carries a code and its bounds), shown next to their fields.
 */
type FieldError = { field: string; code: string; message: string; params?: Record<string, unknown> };

export function ruleMessage(e: FieldError): string {
  const p = e.params ?? {};
  switch (e.code) {
    case 'required':
      return '入力してください';
    case 'max_length':
      return `${String(p.max)}文字以内で入力してください`;
    case 'min_length':
      return `${String(p.min)}文字以上で入力してください`;
    case 'max':
      return `${String(p.max)}以下で入力してください`;
    case 'min':
      return `${String(p.min)}以上で入力してください`;
    case 'one_of':
      return '選択肢から選んでください';
    case 'integer':
      return '整数で入力してください';
    case 'number':
      return '数値で入力してください（小数は1桁まで）';
    case 'iso8601':
    case 'date_string':
    case 'date':
      return '日付の形式が正しくありません';
    case 'not_in_the_future':
      return '未来の日付は入力できません';
    case 'in_the_past':
      return '今日より後の日付を入力してください';
    case 'not_found':
      return '登録されていないものです。選び直してください';
    case 'inactive':
      return '現在は提供されていないサービスです';
    case 'before_start':
      return '開始日より前の日付は入力できません';
    case 'too_many_nights':
      return '期間の泊数より多くなっています';
    case 'not_applicable':
      return 'このサービスでは入力しません';
    case 'calendar_date':
      return '正しい日付を入力してください';
    case 'instant':
      return '正しい日時を入力してください';
    case 'kana':
      return 'ふりがなはひらがなかカタカナで入力してください';
    case 'uuid':
      return '選び直してください';
    case 'taken':
      return 'すでに使われています';
    case 'not_active_counselor':
      return '有効な相談員ではありません';
    case 'not_district_member':
      return 'この地区の所属ではありません';
    case 'pattern':
      return '形式が正しくありません';
    case 'max_items':
      return `${String(p.max)}件以内で選んでください`;
    case 'min_items':
      return `${String(p.min)}件以上選んでください`;
    case 'string':
      return '文字で入力してください';
    case 'contact_value':
      return '電話番号（数字とハイフン、内線）またはメールアドレスの形式で入力してください';
    case 'invalid_text':
      return '使えない文字が含まれています';
    default:
      return `入力内容を確認してください（${e.code}）`;
  }
}

/** Field errors by field path ("subject.familyName", "consultation.summary"). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem?.errors) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors) out[e.field] ??= ruleMessage(e);
  return out;
}

/** One sentence for a refused request, for a banner. */
export function problemMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return '通信できませんでした。時間をおいてもう一度お試しください。';
  switch (error.code) {
    case 'validation_failed':
      return '入力内容に誤りがあります。各項目のメッセージを確認してください。';
    case 'version_conflict':
      return '他の職員がこの記録を更新しました。最新の内容を読み込んでからやり直してください。';
    case 'illegal_transition':
      return 'この操作は現在の状態ではできません。画面を更新してください。';
    case 'forbidden':
      return 'この操作を行う権限がありません。';
    case 'not_found':
      return '記録が見つかりません（削除されたか、閲覧権限がありません）。';
    case 'unauthenticated':
      return 'ユーザー名またはパスワードが違います。';
    case 'rate_limited':
      return '試行回数が多すぎます。しばらく待ってからもう一度お試しください。';
    case 'password_change_required':
      return 'パスワードを変更してください。';
    case 'conflict':
      return '同じ内容がすでに登録されています。';
    case 'service_unavailable':
      return 'サーバーが一時的に利用できません。しばらく待ってからお試しください。';
    default:
      return `処理できませんでした（${error.status}）。`;
  }
}

export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'version_conflict';
}
