import { matchesArea, normalizeAddress, normalizeKana, searchKey } from '../../src/core/text/normalize';

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

describe('place-name variants (issue 13)', () => {
  it('match in district resolution: 桜ヶ丘 = 桜ケ丘 = 桜ヵ丘 = 桜カ丘 = 桜が丘, 井之頭 = 井の頭 = 井ノ頭', () => {
    for (const address of [
      '岡山市桜ケ丘1-2',
      '岡山市桜ヵ丘1-2',
      '岡山市桜カ丘1-2',
      '岡山市桜が丘1-2',
      '岡山市 桜ヶ丘１－２',
    ]) {
      expect(matchesArea(address, '桜ヶ丘')).toBe(true);
    }
    expect(matchesArea('三鷹市井の頭3-1', '井之頭')).toBe(true);
    expect(matchesArea('三鷹市井ノ頭3-1', '井之頭')).toBe(true);
    expect(matchesArea('桜ヶ丘東1-1', '桜ヶ丘西')).toBe(false);
  });

  it('leave kana words alone', () => {
    expect(normalizeAddress('カナダ通り')).toBe('カナダ通り');
    expect(normalizeAddress('ノートルダム町')).toBe('ノートルダム町');
  });
});

describe('searchKey', () => {
  it('meets whatever width, script or spacing was typed', () => {
    expect(searchKey('はなこ')).toBe(searchKey('ﾊﾅｺ'));
    expect(searchKey('ハナコ')).toBe('ハナコ');
    expect(searchKey('田中 花子')).toBe('田中花子');
    expect(searchKey('ＡＢＣ小学校')).toBe('abc小学校');
    expect(searchKey('サト-')).toBe('サトー');
  });

  it('folds place-name variants and writes 丁目, 番 and 号 in the block form', () => {
    expect(searchKey('桜が丘')).toBe(searchKey('桜ヶ丘'));
    expect(searchKey('中央一丁目2番3号')).toBe('中央1-2-3');
    expect(searchKey('中央１丁目２－３')).toBe('中央1-2-3');
    expect(searchKey('中央1-2-3')).toBe('中央1-2-3');
    expect(searchKey('中央十二丁目')).toBe('中央12-');
    // A search for 中央1丁目 is a part of the key of 中央1-2-3, but not of 中央12-3.
    expect(searchKey('中央1-2-3').includes(searchKey('中央1丁目'))).toBe(true);
    expect(searchKey('中央12-3').includes(searchKey('中央1丁目'))).toBe(false);
  });
});
