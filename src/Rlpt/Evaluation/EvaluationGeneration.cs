using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Evaluation;

/// <summary>Generates every prompt's samples in batches of batch_size completions.</summary>
public static class EvaluationGeneration
{
    /// <returns>For each prompt, its <see cref="EvaluationDecoding.Samples"/> completions in sample order.</returns>
    public static GenerationResult[][] Generate(BatchGenerator generator, Tokenizer tokenizer, IReadOnlyList<string> prompts, EvaluationDecoding decoding, CancellationToken cancellation) =>
        Generate(generator, prompts.Select(p => (IReadOnlyList<int>)tokenizer.Encode(p)).ToArray(), decoding, null, cancellation);

    /// <summary>The same from token ids, stopping at <paramref name="stopStrings"/> (default: &lt;|im_end|&gt;).</summary>
    public static GenerationResult[][] Generate(BatchGenerator generator, IReadOnlyList<IReadOnlyList<int>> prompts, EvaluationDecoding decoding, IReadOnlyList<string>? stopStrings, CancellationToken cancellation)
    {
        decoding.Validate();
        var requests = prompts.SelectMany((ids, p) => Enumerable.Range(0, decoding.Samples).Select(s => new GenerationRequest(ids, decoding.Options(p, s, stopStrings)))).ToArray();
        var results = new List<GenerationResult>(requests.Length);
        foreach (var batch in requests.Chunk(decoding.BatchSize))
            results.AddRange(generator.Generate(batch, cancellation));
        return results.Chunk(decoding.Samples).ToArray();
    }
}
