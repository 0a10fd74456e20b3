using Rlpt.Modeling;

namespace Rlpt.Training;

/// <summary>
/// Training FLOPs per token as in PaLM (Chowdhery et al. 2022, appendix B): 6·N for the weight matmuls plus
/// 12·L·H·d_head·T for attention scores and mixing, where N counts the parameters used in matmuls (the
/// embedding lookup is free; an untied lm_head is not).
/// </summary>
public static class FlopsEstimate
{
    public static double TrainingFlopsPerToken(ModelConfig config, int sequenceLength)
    {
        long matmulParameters = config.ParameterCount - (config.TieWordEmbeddings ? 0 : (long)config.VocabSize * config.HiddenSize);
        double attention = 12.0 * config.NumHiddenLayers * config.NumAttentionHeads * config.HeadDim * sequenceLength;
        return 6.0 * matmulParameters + attention;
    }
}
