using System.Text.Json.Nodes;
using Rlpt.Interop;
using Rlpt.Interop.ChatTemplates;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tests.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Interop;

public sealed class ModelFolderInfoTests(GenerationFixture fixture) : IClassFixture<GenerationFixture>
{
    private static readonly ChatMessage[] Conversation = [new("system", "Be brief."), new("user", "Hi")];

    [Fact]
    public void SavedFoldersCarryRlptsChatTemplateForTransformers()
    {
        using var dir = new TestDirectory();
        ModelFolder.Save(dir.Path, fixture.Model, fixture.Tokenizer);
        var config = JsonNode.Parse(File.ReadAllText(dir.File("tokenizer_config.json")))!;
        Assert.Equal("PreTrainedTokenizerFast", config["tokenizer_class"]!.GetValue<string>());
        Assert.Equal(ChatTemplate.RlptDefault.Source, config["chat_template"]!.GetValue<string>());
        Assert.Equal(SpecialTokens.EndOfText, config["eos_token"]!.GetValue<string>());
        Assert.Equal(SpecialTokens.Pad, config["pad_token"]!.GetValue<string>());

        var info = ModelFolder.ReadInfo(dir.Path);
        Assert.True(info.HasOwnChatTemplate);
        Assert.Null(info.BosToken);
        Assert.Equal(SpecialTokens.EndOfText, info.EosToken);
        Assert.Equal([fixture.Tokenizer.EndOfTextId], info.Generation.EosTokenIds);
        Assert.Equal(fixture.Tokenizer.PadId, info.Generation.PadTokenId);
        Assert.Null(info.Generation.Temperature);
        Assert.Equal(ChatFormat.Prompt(Conversation), info.RenderChat(Conversation));
    }

    [Fact]
    public void ReadsHuggingFaceFiles()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("tokenizer_config.json"), """
            {
              "bos_token": {"__type": "AddedToken", "content": "<|begin_of_text|>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false},
              "eos_token": "<|eot_id|>",
              "chat_template": [
                {"name": "tool_use", "template": "tools"},
                {"name": "default", "template": "{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{{ eos_token }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}"}
              ]
            }
            """);
        File.WriteAllText(dir.File("generation_config.json"), """
            {"bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "do_sample": true, "temperature": 0.6, "top_p": 0.9, "top_k": 20, "max_new_tokens": 512}
            """);
        var info = ModelFolder.ReadInfo(dir.Path);
        Assert.True(info.HasOwnChatTemplate);
        Assert.Equal("<|begin_of_text|>", info.BosToken);
        Assert.Null(info.PadToken);
        Assert.Equal("<|begin_of_text|>[system]Be brief.<|eot_id|>[user]Hi<|eot_id|>[assistant]", info.RenderChat(Conversation));
        Assert.Equal(new GenerationDefaults
        {
            BosTokenId = 128000, DoSample = true, Temperature = 0.6, TopP = 0.9, TopK = 20, MaxNewTokens = 512, EosTokenIds = info.Generation.EosTokenIds,
        }, info.Generation);
        Assert.Equal([128001, 128008, 128009], info.Generation.EosTokenIds);

        // transformers 4.47+ keeps the template in its own file, which wins.
        File.WriteAllText(dir.File("chat_template.jinja"), "{% for m in messages %}{{ m.content }};{% endfor %}\n");
        Assert.Equal("Be brief.;Hi;", ModelFolder.ReadInfo(dir.Path).RenderChat(Conversation));
    }

    [Fact]
    public void AFolderWithoutConfigsFallsBackToRlptsFormat()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("generation_config.json"), """{"eos_token_id": 7}""");
        var info = ModelFolder.ReadInfo(dir.Path);
        Assert.False(info.HasOwnChatTemplate);
        Assert.Same(ChatTemplate.RlptDefault, info.ChatTemplate);
        Assert.Equal([7], info.Generation.EosTokenIds);
        Assert.Equal(ChatFormat.Prompt(Conversation), info.RenderChat(Conversation));
    }

    [Theory]
    [InlineData("tokenizer_config.json", """{"chat_template": "{% if x %}"}""", "'if' block is never closed")]
    [InlineData("tokenizer_config.json", """{"chat_template": [{"name": "tool_use", "template": "x"}]}""", "none is called 'default'")]
    [InlineData("tokenizer_config.json", """{"eos_token": 5}""", "'eos_token' must be a string or an object")]
    [InlineData("generation_config.json", """{"eos_token_id": "two"}""", "'eos_token_id' must be an integer")]
    [InlineData("generation_config.json", """{"temperature": "hot"}""", "'temperature' must be a number")]
    [InlineData("generation_config.json", "{ not json", "invalid JSON")]
    public void BadFilesAreNamedInOneLine(string file, string content, string problem)
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File(file), content);
        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.ReadInfo(dir.Path));
        Assert.Contains(file, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
