using Rlpt.Interop.ChatTemplates;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Interop.ChatTemplates;

/// <summary>Templates shaped like the shipped Llama 3.1 and Qwen ones render the prompts those models expect, worked out by hand.</summary>
public sealed class ShippedTemplateTests
{
    private static readonly ChatMessage[] Conversation =
        [new("system", "You are helpful."), new("user", "Hi"), new("assistant", "Hello!"), new("user", "How are you?")];

    private static readonly Dictionary<string, object?> GetTime = new()
    {
        ["type"] = "function",
        ["function"] = new Dictionary<string, object?> { ["name"] = "get_time", ["parameters"] = new Dictionary<string, object?>() },
    };

    private const string QwenToolsSystem =
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
        + "{\"type\": \"function\", \"function\": {\"name\": \"get_time\", \"parameters\": {}}}\n</tools>\n\n"
        + "For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
        + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    [Fact]
    public void Llama31()
    {
        var prompt = ChatTemplate.Parse(ShippedTemplates.Llama31).Render(Conversation, addGenerationPrompt: true,
            new Dictionary<string, object?> { ["bos_token"] = "<|begin_of_text|>" });
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are helpful.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            prompt);
    }

    [Fact]
    public void Llama31PutsToolsIntoTheFirstUserMessage()
    {
        var tool = new Dictionary<string, object?> { ["name"] = "get_time", ["parameters"] = new Dictionary<string, object?>() };
        var prompt = ChatTemplate.Parse(ShippedTemplates.Llama31).Render([new("system", " You are helpful. "), new("user", "Hi")], addGenerationPrompt: true,
            new Dictionary<string, object?> { ["bos_token"] = "<|begin_of_text|>", ["tools"] = new[] { tool }, ["date_string"] = "1 Jan 2025" });
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\nCutting Knowledge Date: December 2023\nToday Date: 1 Jan 2025\n\nYou are helpful.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nGiven the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
            + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n"
            + "{\n    \"name\": \"get_time\",\n    \"parameters\": {}\n}\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            prompt);
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(ShippedTemplates.Llama31).Render([new("system", "s")], false,
            new Dictionary<string, object?> { ["tools"] = new[] { tool } }));
        Assert.Equal("Cannot put tools in the first user message when there's no first user message!", error.Detail);
    }

    [Fact]
    public void Qwen25()
    {
        var template = ChatTemplate.Parse(ShippedTemplates.Qwen25);
        var expected = "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
            + "<|im_start|>user\nHow are you?<|im_end|>\n<|im_start|>assistant\n";
        Assert.Equal(expected, template.Render(Conversation, addGenerationPrompt: true));
        // The same ChatML as Rlpt's own format.
        Assert.Equal(ChatFormat.Prompt(Conversation), template.Render(Conversation, addGenerationPrompt: true));
        Assert.Equal("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
            template.Render([new("user", "Hi")], addGenerationPrompt: false));
        Assert.Equal("<|im_start|>system\nYou are helpful.\n\n" + QwenToolsSystem + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            template.Render(Conversation[..2], addGenerationPrompt: true, new Dictionary<string, object?> { ["tools"] = new[] { GetTime } }));
    }

    [Fact]
    public void Qwen3DropsPastReasoningAndCanSwitchThinkingOff()
    {
        var template = ChatTemplate.Parse(ShippedTemplates.Qwen3);
        ChatMessage[] conversation = [.. Conversation[..2], new("assistant", "<think>\nLet me greet.\n</think>\n\nHello!"), Conversation[3]];
        var expected = "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
            + "<|im_start|>user\nHow are you?<|im_end|>\n<|im_start|>assistant\n";
        Assert.Equal(expected, template.Render(conversation, addGenerationPrompt: true));
        Assert.Equal(expected + "<think>\n\n</think>\n\n",
            template.Render(conversation, addGenerationPrompt: true, new Dictionary<string, object?> { ["enable_thinking"] = false }));
    }

    [Fact]
    public void Qwen3KeepsReasoningAfterTheLastQuery()
    {
        var prompt = ChatTemplate.Parse(ShippedTemplates.Qwen3).Render(
            [Conversation[0], Conversation[1], new("assistant", "<think>\nLet me greet.\n</think>\n\nHello!")], addGenerationPrompt: false);
        Assert.Equal("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
            + "<|im_start|>assistant\n<think>\nLet me greet.\n</think>\n\nHello!<|im_end|>\n", prompt);
    }

    [Fact]
    public void Qwen3ListsToolsAsJson()
    {
        var prompt = ChatTemplate.Parse(ShippedTemplates.Qwen3).Render(Conversation[..2], addGenerationPrompt: true,
            new Dictionary<string, object?> { ["tools"] = new[] { GetTime } });
        Assert.Equal("<|im_start|>system\nYou are helpful.\n\n" + QwenToolsSystem + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RlptDefaultIsChatFormat(bool openThink)
    {
        var variables = new Dictionary<string, object?> { ["enable_thinking"] = openThink };
        Assert.Equal(ChatFormat.Prompt(Conversation, openThink), ChatTemplate.RlptDefault.Render(Conversation, addGenerationPrompt: true, variables));
        Assert.Equal(string.Concat(Conversation.Select(m => ChatFormat.Turn(m.Role, m.Content))),
            ChatTemplate.RlptDefault.Render(Conversation, addGenerationPrompt: false, variables));
        Assert.Equal(ChatFormat.UserPrompt("Hi"), ChatTemplate.RlptDefault.Render([new("user", "Hi")], addGenerationPrompt: true));
    }
}
