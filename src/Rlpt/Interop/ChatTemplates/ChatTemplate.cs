using System.Text;
using Rlpt.Tokenization;

namespace Rlpt.Interop.ChatTemplates;

/// <summary>
/// A Hugging Face chat template (the Jinja <c>chat_template</c> of tokenizer_config.json), parsed once and rendered
/// the way transformers' apply_chat_template does: trim_blocks, lstrip_blocks, loop controls, raise_exception, and
/// tojson as json.dumps. Covers the Jinja subset the Llama 3.x and Qwen2.5/Qwen3 templates use.
/// </summary>
public sealed class ChatTemplate
{
    private readonly IReadOnlyList<Statement> _template;

    private ChatTemplate(string source, IReadOnlyList<Statement> template)
    {
        Source = source;
        _template = template;
    }

    /// <summary>The template text.</summary>
    public string Source { get; }

    /// <summary>
    /// Rlpt's own ChatML format (<see cref="ChatFormat"/>) as a chat template, written into saved model folders.
    /// With add_generation_prompt it opens the assistant turn, and with enable_thinking also a think block, as
    /// <see cref="ChatFormat.Prompt"/> does.
    /// </summary>
    public static ChatTemplate RlptDefault { get; } = Parse(
        "{%- for message in messages %}\n" +
        $"{{{{- '{SpecialTokens.ImStart}' + message.role + '\\n' + message.content + '{SpecialTokens.ImEnd}\\n' }}}}\n" +
        "{%- endfor %}\n" +
        "{%- if add_generation_prompt %}\n" +
        $"{{{{- '{SpecialTokens.ImStart}{ChatFormat.Assistant}\\n' }}}}\n" +
        "{%- if enable_thinking is defined and enable_thinking %}\n" +
        $"{{{{- '{SpecialTokens.ThinkStart}\\n' }}}}\n" +
        "{%- endif %}\n" +
        "{%- endif %}\n");

    /// <summary>Parses a template; syntax errors and unknown filters or tests throw <see cref="ChatTemplateException"/> with their line and column.</summary>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, TemplateParser.Parse(source));
    }

    /// <summary>
    /// Renders a conversation. Messages appear to the template as dicts with <c>role</c> and <c>content</c>;
    /// <paramref name="variables"/> supplies the rest (bos_token, eos_token, tools, enable_thinking, ...) as .NET values,
    /// dictionaries, lists or JSON.
    /// </summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var scope = new Scope(null);
        foreach (var (name, value) in TemplateGlobals.All) scope.Set(name, value);
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>()) scope.Set(name, TemplateValues.FromDotNet(value));
        scope.Set("messages", TemplateValues.FromDotNet(messages));
        scope.Set("add_generation_prompt", addGenerationPrompt);
        return RenderBudget.Run(() =>
        {
            var output = new StringBuilder();
            new TemplateEvaluator().Render(_template, new Scope(scope), output);
            return output.ToString();
        });
    }
}
