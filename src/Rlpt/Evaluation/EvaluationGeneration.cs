using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Evaluation;

/// <summary>Generates every prompt's samples in batches of batch_size completions.</summary>
internal static class EvaluationGeneration
{
    /// <returns>For each prompt, its <see cref="EvaluationDecoding.Samples"/> completions in sample order.</returns>
    public static GenerationResult[][] Generate(BatchGenerator generator, Tokenizer tokenizer, IReadOnlyList<string> prompts, EvaluationDecoding decoding, CancellationToken cancellation)
    {
        decoding.Validate();
        var requests = prompts.SelectMany((prompt, p) =>
        {
            var ids = tokenizer.Encode(prompt);
            return Enumerable.Range(0, decoding.Samples).Select(s => new GenerationRequest(ids, decoding.Options(p, s)));
        }).ToArray();
        var results = new List<GenerationResult>(requests.Length);
        foreach (var batch in requests.Chunk(decoding.BatchSize))
            results.AddRange(generator.Generate(batch, cancellation));
        return results.Chunk(decoding.Samples).ToArray();
    }
}
