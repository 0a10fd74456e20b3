using System.Text.Json;
using Rlpt.Tokenization;

namespace Rlpt.Data;

/// <summary>
/// Tokenizes documents into a <see cref="TokenDataset"/> directory (with its tokenizer.json), streaming: memory
/// stays flat. The folder appears whole or not at all.
/// </summary>
public static class TokenDatasetBuilder
{
    public static TokenDatasetMeta Build(IEnumerable<Document> documents, Tokenizer tokenizer, string directory, double heldOutFraction, Action<long>? onBytes = null)
    {
        var temp = directory.TrimEnd('/') + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            int bytesPerToken = TokenFile.BytesPerTokenFor(tokenizer.VocabSize);
            var meta = new TokenDatasetMeta { VocabSize = tokenizer.VocabSize, EndOfTextId = tokenizer.EndOfTextId, BytesPerToken = bytesPerToken };
            using (var train = new TokenFileWriter(Path.Combine(temp, meta.TrainFile), bytesPerToken, tokenizer.EndOfTextId))
            using (var validation = new TokenFileWriter(Path.Combine(temp, meta.ValidationFile), bytesPerToken, tokenizer.EndOfTextId))
            {
                foreach (var document in documents)
                {
                    if (string.IsNullOrWhiteSpace(document.Text)) continue;
                    var writer = DocumentSplit.IsHeldOut(document.Text, heldOutFraction) ? validation : train;
                    writer.AddDocument(tokenizer.Encode(document.Text));
                    onBytes?.Invoke(System.Text.Encoding.UTF8.GetByteCount(document.Text));
                }
                meta = meta with
                {
                    TrainTokens = train.Tokens, ValidationTokens = validation.Tokens,
                    TrainDocuments = train.Documents, ValidationDocuments = validation.Documents,
                };
            }
            if (meta.TrainDocuments == 0) throw new InvalidDataException("no usable documents: the training split is empty.");
            if (meta.ValidationDocuments == 0) throw new InvalidDataException("the held-out split is empty: add documents or raise the held-out fraction.");
            tokenizer.Save(Path.Combine(temp, TokenDataset.TokenizerFileName));
            IO.AtomicFile.WriteAllText(Path.Combine(temp, TokenDataset.MetaFileName), JsonSerializer.Serialize(meta, new JsonSerializerOptions { WriteIndented = true }));
            IO.AtomicFile.ReplaceDirectory(temp, directory);
            return meta;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
