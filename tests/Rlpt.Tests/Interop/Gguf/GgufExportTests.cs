using Rlpt.Interop.ChatTemplates;
using Rlpt.Interop.Gguf;
using Rlpt.Modeling;
using Rlpt.Tests.Modeling;
using Rlpt.Tests.Tokenization;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Tests.Interop.Gguf;

/// <summary>What the exporter writes, read back with <see cref="GgufFile"/>: keys, tensor names, types, layout.</summary>
public sealed class GgufExportTests
{
    private static readonly Tokenizer SmallTokenizer =
        Tokenizer.Train(TokenizationTestData.EnglishDocuments(seed: 2, count: 60), new BpeTrainerOptions { VocabSize = 300 });

    private static (GgufFile File, CausalLM Model) Export(TestDirectory dir, string architecture, GgufTensorType type, bool tied = false)
    {
        // Three embedding rows more than the tokenizer has: they must appear as unused placeholder tokens.
        var config = TinyModels.Config(architecture, tied) with { VocabSize = SmallTokenizer.VocabSize + 3 };
        var model = TinyModels.Create(config);
        var path = dir.File($"{architecture}.gguf");
        GgufExporter.Export(model, SmallTokenizer, path, type, "tiny");
        return (GgufFile.Read(path), model);
    }

    [Fact]
    public void Llama_HyperParametersAndTokenizer()
    {
        using var dir = new TestDirectory();
        var (file, model) = Export(dir, "llama", GgufTensorType.F32);
        using var _ = model;
        var m = file.Metadata;
        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", m["general.architecture"].AsString());
        Assert.Equal(0u, m["general.file_type"].AsUInt32());
        Assert.Equal(2u, m["llama.block_count"].AsUInt32());
        Assert.Equal(32u, m["llama.embedding_length"].AsUInt32());
        Assert.Equal(48u, m["llama.feed_forward_length"].AsUInt32());
        Assert.Equal(4u, m["llama.attention.head_count"].AsUInt32());
        Assert.Equal(2u, m["llama.attention.head_count_kv"].AsUInt32());
        Assert.Equal(128u, m["llama.context_length"].AsUInt32());
        Assert.Equal(10000f, m["llama.rope.freq_base"].AsFloat32());
        Assert.Equal(1e-5f, m["llama.attention.layer_norm_rms_epsilon"].AsFloat32());
        Assert.False(m.ContainsKey("llama.attention.key_length"));

        Assert.Equal("gpt2", m["tokenizer.ggml.model"].AsString());
        Assert.Equal("llama-bpe", m["tokenizer.ggml.pre"].AsString());
        var tokens = m["tokenizer.ggml.tokens"].AsArray<string>();
        var types = m["tokenizer.ggml.token_type"].AsArray<int>();
        Assert.Equal(SmallTokenizer.VocabSize + 3, tokens.Length);
        Assert.Equal(SmallTokenizer.IdToToken(SmallTokenizer.EndOfTextId), tokens[SmallTokenizer.EndOfTextId]);
        Assert.Equal(3, types[SmallTokenizer.EndOfTextId]);
        Assert.Equal(1, types[SmallTokenizer.VocabSize - 1]);
        Assert.Equal(("[PAD" + SmallTokenizer.VocabSize + "]", 5), (tokens[SmallTokenizer.VocabSize], types[SmallTokenizer.VocabSize]));
        Assert.Equal(SmallTokenizer.Definition.Merges.Select(x => $"{x.Left} {x.Right}"), m["tokenizer.ggml.merges"].AsArray<string>());
        Assert.Equal((uint)SmallTokenizer.EndOfTextId, m["tokenizer.ggml.eos_token_id"].AsUInt32());
        Assert.Equal((uint)SmallTokenizer.PadId, m["tokenizer.ggml.padding_token_id"].AsUInt32());
        Assert.False(m["tokenizer.ggml.add_bos_token"].AsBool());
        Assert.Equal(ChatTemplate.RlptDefault.Source, m["tokenizer.chat_template"].AsString());
    }

    [Fact]
    public void Llama_QueryAndKeyRowsInterleavedForLlamaCppRope_OthersUnchanged()
    {
        using var dir = new TestDirectory();
        var (file, model) = Export(dir, "llama", GgufTensorType.F32);
        using var _ = model;
        var weights = model.state_dict();
        var q = weights["model.layers.1.self_attn.q_proj.weight"];
        var k = weights["model.layers.1.self_attn.k_proj.weight"];
        // Row 2i+j of a head in GGUF is row i + j·d/2 of that head in Hugging Face's layout.
        Assert.Equal(Interleave(q, heads: 4), file.ReadTensor("blk.1.attn_q.weight"));
        Assert.Equal(Interleave(k, heads: 2), file.ReadTensor("blk.1.attn_k.weight"));
        Assert.NotEqual(q.data<float>().ToArray(), file.ReadTensor("blk.1.attn_q.weight"));
        Assert.Equal(weights["model.layers.1.self_attn.v_proj.weight"].data<float>().ToArray(), file.ReadTensor("blk.1.attn_v.weight"));
        Assert.Equal(new long[] { 16, 32 }, file.Tensor("blk.1.attn_k.weight").Shape);
        Assert.Equal(new long[] { 32, 16 }, file.Tensor("blk.1.attn_k.weight").Dimensions);
    }

    [Fact]
    public void Qwen2_TiedF16_BiasesAndVectorsStayF32_NoOutputTensor_NoPermutation()
    {
        using var dir = new TestDirectory();
        var (file, model) = Export(dir, "qwen2", GgufTensorType.F16, tied: true);
        using var _ = model;
        Assert.Equal(1u, file.Metadata["general.file_type"].AsUInt32());
        var names = file.Tensors.Select(t => t.Name).ToHashSet();
        Assert.DoesNotContain("output.weight", names);
        Assert.Contains("blk.0.attn_q.bias", names);
        Assert.Equal(2 + 2 * 12, names.Count); // token_embd, output_norm; per layer 2 norms, 4 attention, 3 biases, 3 MLP
        Assert.All(file.Tensors, t => Assert.Equal(t.Dimensions.Count == 1 ? GgufTensorType.F32 : GgufTensorType.F16, t.Type));
        Assert.All(file.Tensors, t => Assert.Equal(0, (file.DataOffset + t.Offset) % GgufFormat.DefaultAlignment));
        var q = model.state_dict()["model.layers.0.self_attn.q_proj.weight"].data<float>().ToArray();
        Assert.Equal(q.Select(x => (float)(Half)x), file.ReadTensor("blk.0.attn_q.weight"));
    }

    [Fact]
    public void Qwen3_HeadDimAndQkNorm()
    {
        using var dir = new TestDirectory();
        var (file, model) = Export(dir, "qwen3", GgufTensorType.F32);
        using var _ = model;
        Assert.Equal(16u, file.Metadata["qwen3.attention.key_length"].AsUInt32());
        Assert.Equal(16u, file.Metadata["qwen3.attention.value_length"].AsUInt32());
        Assert.Equal(new long[] { 16 }, file.Tensor("blk.1.attn_k_norm.weight").Shape);
        Assert.Contains(file.Tensors, t => t.Name == "output.weight");
    }

    [Fact]
    public void UnknownPreTokenizer_IsRefusedClearly()
    {
        var tokenizer = Tokenizer.Train(TokenizationTestData.EnglishDocuments(seed: 3, count: 20),
            new BpeTrainerOptions { VocabSize = 280, PreTokenizerPattern = @"\S+|\s+" });
        using var model = TinyModels.Create(TinyModels.Config("llama") with { VocabSize = tokenizer.VocabSize });
        using var dir = new TestDirectory();
        var error = Assert.Throws<NotSupportedException>(() => GgufExporter.Export(model, tokenizer, dir.File("x.gguf"), GgufTensorType.F32, "x"));
        Assert.Contains("no llama.cpp equivalent", error.Message);
        Assert.False(File.Exists(dir.File("x.gguf")));
    }

    [Fact]
    public void Reader_RejectsTruncatedAndForeignFiles()
    {
        using var dir = new TestDirectory();
        var (file, model) = Export(dir, "llama", GgufTensorType.F32);
        model.Dispose();
        var bytes = File.ReadAllBytes(file.Path);
        File.WriteAllBytes(dir.File("cut.gguf"), bytes[..^64]);
        Assert.Contains("outside the file", Assert.Throws<InvalidDataException>(() => GgufFile.Read(dir.File("cut.gguf"))).Message);
        File.WriteAllBytes(dir.File("short.gguf"), bytes[..100]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => GgufFile.Read(dir.File("short.gguf"))).Message);
        File.WriteAllText(dir.File("text.gguf"), "not a gguf file at all");
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => GgufFile.Read(dir.File("text.gguf"))).Message);
    }

    private static float[] Interleave(Tensor weight, int heads)
    {
        var rows = weight.data<float>().ToArray();
        int columns = (int)weight.shape[1], headDim = (int)weight.shape[0] / heads;
        var result = new float[rows.Length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < headDim / 2; i++)
                for (int j = 0; j < 2; j++)
                    Array.Copy(rows, (h * headDim + i + j * headDim / 2) * columns, result, (h * headDim + 2 * i + j) * columns, columns);
        return result;
    }
}
