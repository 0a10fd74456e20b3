using Rlpt.Interop.ChatTemplates;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Interop.ChatTemplates;

public sealed class ChatTemplateErrorTests
{
    private static ChatTemplateException ParseError(string template) =>
        Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template));

    private static ChatTemplateException RenderError(string template, params ChatMessage[] messages) =>
        Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template).Render(messages, addGenerationPrompt: true));

    [Theory]
    [InlineData("Hello {{ name", "chat template line 1, column 7: unterminated tag: '{{' has no matching '}}'")]
    [InlineData("a\n{% for x in y", "chat template line 2, column 1: unterminated tag: '{%' has no matching '%}'")]
    [InlineData("a\n  {{ x | frobnicate }}", "chat template line 2, column 10: unknown filter 'frobnicate'")]
    [InlineData("{{ x is frobbed }}", "chat template line 1, column 9: unknown test 'frobbed'")]
    [InlineData("{% if x %}a", "chat template line 1, column 4: 'if' block is never closed (expected '{% endif %}')")]
    [InlineData("{% endfor %}", "chat template line 1, column 4: unexpected 'endfor': no open block it could close")]
    [InlineData("{% for x in y %}{% endif %}", "chat template line 1, column 20: unexpected 'endif': no open block it could close")]
    [InlineData("{% include 'other.jinja' %}", "chat template line 1, column 4: unknown or unsupported statement 'include'")]
    [InlineData("{# never closed", "chat template line 1, column 1: unterminated comment: '{#' has no matching '#}'")]
    [InlineData("{{ 'abc }}", "chat template line 1, column 4: unterminated string literal")]
    [InlineData("{% break %}", "chat template line 1, column 4: 'break' outside a for loop")]
    [InlineData("{{ a b }}", "chat template line 1, column 6: expected '}}' but found 'b'")]
    public void SyntaxErrorsNameTheProblemAndWhereItIs(string template, string message) =>
        Assert.Equal(message, ParseError(template).Message);

    [Fact]
    public void ParseErrorsCarryThePosition()
    {
        var error = ParseError("line one\nline two {{ x | nope }}");
        Assert.Equal(new SourcePosition(2, 17), error.Position);
        Assert.Equal("unknown filter 'nope'", error.Detail);
    }

    [Fact]
    public void RaiseExceptionSurfacesTheTemplatesMessage()
    {
        const string template = "{% for m in messages %}{% if (m.role == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{{ m.content }}{% endfor %}";
        Assert.Equal("ab", ChatTemplate.Parse(template).Render([new("user", "a"), new("assistant", "b")], addGenerationPrompt: false));
        var error = RenderError(template, new("user", "a"), new("user", "b"));
        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", error.Detail);
        Assert.Equal(new SourcePosition(1, 80), error.Position);
    }

    [Theory]
    [InlineData("{{ foo.bar }}", "'foo' is undefined")]
    [InlineData("{{ 'a' + 1 }}", "unsupported operand types for +: 'str' and 'int'")]
    [InlineData("{{ messages[0].content.nope() }}", "'str' object has no attribute 'nope'")]
    [InlineData("{{ 1 // 0 }}", "division by zero")]
    [InlineData("{% for x in none %}{% endfor %}", "'NoneType' object is not iterable")]
    [InlineData("{{ 'a'.split('') }}", "split() separator is empty")]
    [InlineData("{{ 'a'.startswith() }}", "startswith() is missing its argument 'prefix'")]
    [InlineData("{% set ns = 1 %}{% set ns.x = 2 %}", "cannot set an attribute of 'ns': it is not a namespace()")]
    [InlineData("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "macro calls nested deeper than 100")]
    public void RuntimeErrorsAreClear(string template, string detail) =>
        Assert.Equal(detail, RenderError(template, new ChatMessage("user", "hi")).Detail);
}
