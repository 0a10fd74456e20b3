using System.Text.Json.Nodes;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Serving;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Serving;

public sealed class ChatTemplateWiringTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private static readonly ChatMessage[] Conversation = [new("system", "Be brief."), new("user", "Hi")];

    [Fact]
    public async Task TheEngineRendersChatsWithTheTemplateTheModelFolderShips()
    {
        using var dir = new TestDirectory();
        ModelFolder.Save(dir.Path, fixture.Generation.Model, fixture.Generation.Tokenizer);
        var withRlptTemplate = new EngineOptions().WithChatTemplateOf(dir.Path);
        Assert.Equal(ChatFormat.Prompt(Conversation), withRlptTemplate.RenderChat(Conversation));

        var configPath = Path.Combine(dir.Path, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = "{% for m in messages %}<{{ m.role|upper }}>{{ m.content }}\n{% endfor %}{% if add_generation_prompt %}<ASSISTANT>{% endif %}";
        File.WriteAllText(configPath, config.ToJsonString());
        await using var engine = new BatchingEngine(fixture.Generation.Model, fixture.Generation.Tokenizer, new EngineOptions().WithChatTemplateOf(dir.Path));
        Assert.Equal(fixture.Generation.Tokenizer.Encode("<SYSTEM>Be brief.\n<USER>Hi\n<ASSISTANT>"), engine.EncodeChat(Conversation));
    }
}
