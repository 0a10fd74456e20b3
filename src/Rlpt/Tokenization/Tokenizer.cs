using System.Text;
using Microsoft.ML.Tokenizers;

namespace Rlpt.Tokenization;

/// <summary>
/// Byte-level BPE tokenizer. Merges are applied by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>; special-token
/// splitting, Split(Isolated) pre-tokenization, ignore_merges and byte-exact decoding are done here, because that
/// package's RegexPreTokenizer drops the text between regex matches, it has no ignore_merges, and its decoder yields
/// strings rather than the bytes that streaming needs.
/// </summary>
public sealed class Tokenizer
{
    private readonly TokenizerDefinition _definition;
    private readonly BpeTokenizer _bpe;
    private readonly TextSegmenter _segmenter;
    private readonly Dictionary<string, int> _tokenToId = new(StringComparer.Ordinal);
    private readonly string?[] _idToToken;
    private readonly byte[]?[] _idToBytes;
    private readonly int? _endOfTextId;

    internal Tokenizer(TokenizerDefinition definition)
    {
        _definition = definition;
        _bpe = BpeTokenizer.Create(new BpeOptions(definition.Vocabulary)
        {
            Merges = definition.Merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
        });
        _segmenter = new TextSegmenter(definition.PreTokenizerPattern, definition.AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal));

        VocabSize = definition.Vocabulary.Values.Concat(definition.AddedTokens.Select(t => t.Id)).DefaultIfEmpty(-1).Max() + 1;
        _idToToken = new string?[VocabSize];
        _idToBytes = new byte[]?[VocabSize];
        foreach (var (token, id) in definition.Vocabulary)
        {
            _tokenToId[token] = id;
            _idToToken[id] = token;
            // A model-vocabulary token outside the byte alphabet can only be literal text.
            _idToBytes[id] = ByteLevelAlphabet.TryDecode(token) ?? Encoding.UTF8.GetBytes(token);
        }
        foreach (var added in definition.AddedTokens)
        {
            _tokenToId[added.Content] = added.Id;
            _idToToken[added.Id] = added.Content;
            _idToBytes[added.Id] = Encoding.UTF8.GetBytes(added.Content);
        }
        LongestTokenBytes = _idToBytes.Max(b => b?.Length ?? 0);
        _endOfTextId = new[] { SpecialTokens.EndOfText, "<|end_of_text|>" }.Select(TokenToId).FirstOrDefault(id => id is not null);
        PadId = TokenToId(SpecialTokens.Pad) ?? _endOfTextId ?? -1;
    }

    /// <summary>What the tokenizer was built from (exporters read the vocabulary, merges and pre-tokenizer from it).</summary>
    internal TokenizerDefinition Definition => _definition;

    /// <summary>
    /// The most UTF-8 bytes one token stands for. Encoding is lossless, so a text of B bytes has at least
    /// B / LongestTokenBytes tokens (before any normalisation): a bound that refuses huge inputs without encoding them.
    /// </summary>
    public int LongestTokenBytes { get; }

    /// <summary>One more than the highest id (vocabulary and added tokens).</summary>
    public int VocabSize { get; }

    /// <summary>Id of &lt;|endoftext|&gt; (or Llama 3's &lt;|end_of_text|&gt;).</summary>
    public int EndOfTextId => _endOfTextId ?? throw new InvalidOperationException("This tokenizer has no end-of-text token.");

    /// <summary>Id of &lt;|pad|&gt;, or the end-of-text id when there is no pad token (−1 when there is neither).</summary>
    public int PadId { get; }

    public static Tokenizer Train(IEnumerable<string> documents, BpeTrainerOptions options)
    {
        var trained = BpeTrainer.Train(documents, options);
        var vocabulary = trained.Vocabulary.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id, StringComparer.Ordinal);
        var added = trained.Vocabulary.Take(trained.SpecialTokenCount).Select((token, id) => new AddedToken(id, token, Special: true)).ToList();
        return new Tokenizer(new TokenizerDefinition(vocabulary, trained.Merges, added, options.PreTokenizerPattern, IgnoreMerges: false, NfcNormalize: false));
    }

    /// <summary>Reads a Hugging Face tokenizer.json of a byte-level BPE model.</summary>
    public static Tokenizer Load(string path) => new(TokenizerJson.Read(path));

    /// <summary>Writes a Hugging Face tokenizer.json, atomically (temporary file in the same folder, then a move).</summary>
    public void Save(string path) => TokenizerJson.Write(path, _definition);

    /// <summary>Token ids of the text; special tokens in it become their own ids and are never split.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_definition.NfcNormalize)
            text = text.Normalize(NormalizationForm.FormC);
        var ids = new List<int>(text.Length / 3 + 4);
        foreach (var segment in _segmenter.Segment(text))
        {
            if (segment.SpecialId >= 0)
            {
                ids.Add(segment.SpecialId);
                continue;
            }
            var word = text.AsSpan(segment.Start, segment.Length);
            if (_definition.IgnoreMerges && _tokenToId.TryGetValue(ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(word.ToArray())), out int whole))
                ids.Add(whole);
            else
                ids.AddRange(_bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
        }
        return ids;
    }

    /// <summary>The UTF-8 bytes the ids stand for; concatenating the bytes of consecutive chunks equals the bytes of the whole.</summary>
    public byte[] DecodeBytes(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (int id in ids)
            bytes.AddRange(BytesOf(id));
        return [.. bytes];
    }

    /// <summary>The text the ids stand for; bytes of an incomplete or invalid UTF-8 sequence become U+FFFD.</summary>
    public string Decode(IEnumerable<int> ids) => Encoding.UTF8.GetString(DecodeBytes(ids));

    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out int id) ? id : null;

    /// <summary>The token's vocabulary string (byte-level alphabet for BPE tokens, the literal text for special tokens).</summary>
    public string IdToToken(int id) =>
        (uint)id < (uint)VocabSize && _idToToken[id] is { } token ? token : throw new ArgumentOutOfRangeException(nameof(id), id, "No token has this id.");

    private byte[] BytesOf(int id) =>
        (uint)id < (uint)VocabSize && _idToBytes[id] is { } bytes ? bytes : throw new ArgumentOutOfRangeException(nameof(id), id, "No token has this id.");
}
