import { matchesArea, normalizeAddress, normalizeKana } from '../../src/core/text/normalize';

describe('normalizeKana', () => {
  it.each(['ﾀﾅｶ', 'たなか', 'タナカ', 'タ ナカ', 'た　な　か', ' ﾀ ﾅ ｶ ', 'タナカ\t', 'タ\u200bナカ'])(
    'gives タナカ for %j',
    (input) => {
      expect(normalizeKana(input)).toBe('タナカ');
    },
  );

  it('composes half-width voiced and semi-voiced marks', () => {
    expect(normalizeKana('ｶﾞｯｺｳ')).toBe('ガッコウ');
    expect(normalizeKana('ﾊﾟﾝ')).toBe('パン');
    expect(normalizeKana('ｳﾞｨｵﾗ')).toBe('ヴィオラ');
    expect(normalizeKana('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダタロウ');
  });

  it('composes spacing voiced marks typed after the kana', () => {
    expect(normalizeKana('か゛き')).toBe('ガキ');
    expect(normalizeKana('は゜ん')).toBe('パン');
    expect(normalizeKana('カ\u3099')).toBe('ガ');
  });

  it('turns hiragana into katakana, including ゔ and small kana', () => {
    expect(normalizeKana('ゔぁいおりん')).toBe('ヴァイオリン');
    expect(normalizeKana('きょうこ')).toBe('キョウコ');
    expect(normalizeKana('さゝき')).toBe('サヽキ');
  });

  it('unifies long-vowel marks', () => {
    for (const input of ['ルーシー', 'ルｰシｰ', 'ル-シ-', 'ル‐シ—', 'ル−シ－', 'る〜し～']) {
      expect(normalizeKana(input)).toBe('ルーシー');
    }
  });

  it('drops separators in foreign names', () => {
    expect(normalizeKana('ジョン・スミス')).toBe('ジョンスミス');
    expect(normalizeKana('ｼﾞｮﾝ･ｽﾐｽ')).toBe('ジョンスミス');
    expect(normalizeKana('ジョン＝スミス')).toBe('ジョンスミス');
  });

  it('keeps spelling variants apart', () => {
    expect(normalizeKana('サトウ')).not.toBe(normalizeKana('サトー'));
    expect(normalizeKana('ヂ')).not.toBe(normalizeKana('ジ'));
  });

  it('is idempotent', () => {
    for (const input of ['ﾀﾅｶ ﾊﾅｺ', 'ゔぁ〜', 'ジョン・スミス']) {
      expect(normalizeKana(normalizeKana(input))).toBe(normalizeKana(input));
    }
  });
});

describe('normalizeAddress', () => {
  it('turns full-width digits and letters half-width and removes all spaces', () => {
    expect(normalizeAddress('中央町　１２３番地　Ａ棟 ５０１')).toBe('中央町123番地A棟501');
    expect(normalizeAddress(' 〒１２３－４５６７\t中央 一丁目 ')).toBe('〒123-4567中央一丁目');
  });

  it('unifies hyphen-like characters between digits', () => {
    for (const input of [
      '中央1-2-3',
      '中央１－２－３',
      '中央1ー2ー3',
      '中央1‐2−3',
      '中央1–2—3',
      '中央1―2ｰ3',
      '中央 1 - 2 - 3',
    ]) {
      expect(normalizeAddress(input)).toBe('中央1-2-3');
    }
  });

  it('leaves a long-vowel mark that is not between digits alone', () => {
    expect(normalizeAddress('コーポ中央101')).toBe('コーポ中央101');
    expect(normalizeAddress('ｺｰﾎﾟ中央')).toBe('コーポ中央');
  });

  it('is idempotent', () => {
    const once = normalizeAddress('〒１２３ー４５６７　中央１ー２ー３');
    expect(normalizeAddress(once)).toBe(once);
  });
});

describe('matchesArea', () => {
  const address = normalizeAddress('〒１２３－４５６７　〇〇市中央一丁目２番３号');

  it('matches a town name the address contains', () => {
    expect(matchesArea(address, '中央一丁目')).toBe(true);
    expect(matchesArea(address, '中央')).toBe(true);
    expect(matchesArea(address, '中央二丁目')).toBe(false);
    expect(matchesArea(address, '北町')).toBe(false);
  });

  it('normalizes the area name too', () => {
    expect(matchesArea(normalizeAddress('南町１２'), ' 南町 ')).toBe(true);
    expect(matchesArea(normalizeAddress('ｺｰﾎﾟ南町'), 'コーポ南町')).toBe(true);
  });

  it('matches a 丁目 area however the address spells the number', () => {
    for (const a of ['中央1丁目2番3号', '中央一丁目2-3', '中央１－２－３', '中央1-2']) {
      expect(matchesArea(normalizeAddress(a), '中央一丁目')).toBe(true);
      expect(matchesArea(normalizeAddress(a), '中央1丁目')).toBe(true);
    }
    expect(matchesArea(normalizeAddress('中央12-3'), '中央一丁目')).toBe(false);
    expect(matchesArea(normalizeAddress('中央十二丁目3'), '中央12丁目')).toBe(true);
    expect(matchesArea(normalizeAddress('中央2-3-4'), '中央一丁目')).toBe(false);
  });

  it('matches a postal code with or without hyphen or 〒', () => {
    for (const area of ['123-4567', '1234567', '〒123-4567', '１２３－４５６７']) {
      expect(matchesArea(address, area)).toBe(true);
      expect(matchesArea(normalizeAddress('1234567 中央'), area)).toBe(true);
      expect(matchesArea(normalizeAddress('123-4567中央'), area)).toBe(true);
    }
    expect(matchesArea(address, '123-4568')).toBe(false);
  });

  it('does not match a postal code inside a longer number', () => {
    expect(matchesArea(normalizeAddress('中央1-1234567'), '123-4567')).toBe(false);
    expect(matchesArea(normalizeAddress('電話01234567'), '123-4567')).toBe(false);
    expect(matchesArea(normalizeAddress('12345678'), '1234567')).toBe(false);
  });

  it('never matches an empty area', () => {
    expect(matchesArea(address, '')).toBe(false);
    expect(matchesArea(address, '　')).toBe(false);
  });
});
