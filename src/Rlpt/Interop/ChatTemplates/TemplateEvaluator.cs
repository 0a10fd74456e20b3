using System.Text;

namespace Rlpt.Interop.ChatTemplates;

/// <summary>Renders a parsed template: runs statements into a buffer and evaluates expressions with Python's semantics.</summary>
internal sealed class TemplateEvaluator
{
    private int _callDepth;

    /// <summary>How a statement list ended: normally or by break/continue, which the enclosing loop handles.</summary>
    private enum Flow { Normal, Break, Continue }

    public void Render(IReadOnlyList<Statement> template, Scope scope, StringBuilder output) => Execute(template, scope, output);

    private Flow Execute(IReadOnlyList<Statement> body, Scope scope, StringBuilder output)
    {
        foreach (var statement in body)
        {
            var flow = Flow.Normal;
            switch (statement)
            {
                case TextStatement text:
                    Write(output, text.Text);
                    break;
                case OutputStatement print:
                    Write(output, TemplateValues.ToText(Evaluate(print.Value, scope)));
                    break;
                case IfStatement branch:
                    var chosen = branch.Branches.FirstOrDefault(b => TemplateValues.IsTruthy(Evaluate(b.Condition, scope))).Body ?? branch.Otherwise;
                    flow = Execute(chosen, scope, output);
                    break;
                case ForStatement loop:
                    ExecuteFor(loop, scope, output);
                    break;
                case SetStatement set:
                    Assign(set, Evaluate(set.Value, scope), scope);
                    break;
                case SetBlockStatement block:
                    var captured = new StringBuilder();
                    Execute(block.Body, scope, captured);
                    scope.Set(block.Target, captured.ToString());
                    break;
                case MacroStatement macro:
                    scope.Set(macro.Name, MakeMacro(macro, scope));
                    break;
                case LoopControlStatement control:
                    return control.IsBreak ? Flow.Break : Flow.Continue;
            }
            if (flow != Flow.Normal) return flow;
        }
        return Flow.Normal;
    }

    private static void Write(StringBuilder output, string text)
    {
        RenderBudget.Current.Build(text.Length);
        if (output.Length + (long)text.Length > TemplateLimits.MaxValueLength)
            throw new ChatTemplateException($"the template's output exceeds {TemplateLimits.MaxValueLength:N0} characters");
        output.Append(text);
    }

    private void ExecuteFor(ForStatement loop, Scope scope, StringBuilder output)
    {
        var items = Located(loop.Iterable.Position, () => TemplateValues.Iterate(Evaluate(loop.Iterable, scope)).ToList());
        if (loop.Filter is { } filter)
        {
            // Jinja filters before looping, so loop.index and loop.length count only the kept items.
            items = items.Where(item =>
            {
                RenderBudget.Current.Iterate();
                var probe = new Scope(scope);
                Bind(loop.Targets, item, probe, loop.Position);
                return TemplateValues.IsTruthy(Evaluate(filter, probe));
            }).ToList();
        }
        if (items.Count == 0)
        {
            Execute(loop.Otherwise, scope, output);
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            RenderBudget.Current.Iterate();
            var iteration = new Scope(scope);
            Bind(loop.Targets, items[i], iteration, loop.Position);
            iteration.Set("loop", new LoopInfo(items, i));
            if (Execute(loop.Body, iteration, output) == Flow.Break) break;
        }
    }

    private static void Assign(SetStatement set, object? value, Scope scope)
    {
        if (set.Namespace is null)
        {
            Bind(set.Targets, value, scope, set.Position);
            return;
        }
        if (scope.Lookup(set.Namespace) is not Namespace ns)
            throw new ChatTemplateException($"cannot set an attribute of '{set.Namespace}': it is not a namespace()", set.Position);
        ns.Values[set.Targets[0]] = value;
    }

    /// <summary>Binds one name, or unpacks a sequence into several (<c>for key, value in d.items()</c>).</summary>
    private static void Bind(IReadOnlyList<string> targets, object? value, Scope scope, SourcePosition position)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], value);
            return;
        }
        var items = Located(position, () => TemplateValues.Iterate(value).ToList());
        if (items.Count != targets.Count)
            throw new ChatTemplateException($"cannot unpack {items.Count} value(s) into {targets.Count} names", position);
        for (var i = 0; i < targets.Count; i++) scope.Set(targets[i], items[i]);
    }

    private TemplateFunction MakeMacro(MacroStatement macro, Scope defining) => args =>
    {
        if (args.Positional.Count > macro.Parameters.Count)
            throw new ChatTemplateException($"macro '{macro.Name}' takes {macro.Parameters.Count} argument(s) but got {args.Positional.Count}");
        foreach (var key in args.Named.Keys)
            if (macro.Parameters.All(p => p.Name != key)) throw new ChatTemplateException($"macro '{macro.Name}' has no parameter '{key}'");
        if (++_callDepth > TemplateLimits.MaxCallDepth)
        {
            _callDepth = 0;
            throw new ChatTemplateException($"macro calls nested deeper than {TemplateLimits.MaxCallDepth}", macro.Position);
        }
        try
        {
            var local = new Scope(defining);
            for (var i = 0; i < macro.Parameters.Count; i++)
            {
                var (name, fallback) = macro.Parameters[i];
                var value = i < args.Positional.Count ? args.Positional[i]
                    : args.Named.TryGetValue(name, out var named) ? named
                    : fallback is not null ? Evaluate(fallback, local)
                    : new Undefined($"'{name}' is undefined");
                local.Set(name, value);
            }
            var output = new StringBuilder();
            Execute(macro.Body, local, output);
            return output.ToString();
        }
        finally
        {
            _callDepth = Math.Max(0, _callDepth - 1);
        }
    };

    private object? Evaluate(Expr expr, Scope scope) => Located(expr.Position, () => EvaluateUnlocated(expr, scope));

    private object? EvaluateUnlocated(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return scope.Lookup(name.Name);
            case ListExpr list:
                return list.Items.Select(item => Evaluate(item, scope)).ToList();
            case DictExpr dict:
                var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in dict.Entries)
                    result[Evaluate(key, scope) as string ?? throw new ChatTemplateException("dict keys must be strings", key.Position)] = Evaluate(value, scope);
                return result;
            case AttributeExpr attribute:
                return TemplateAccess.Attribute(Evaluate(attribute.Target, scope), attribute.Name);
            case ItemExpr item:
                return TemplateAccess.Item(Evaluate(item.Target, scope), Evaluate(item.Key, scope));
            case SliceExpr slice:
                return TemplateAccess.Slice(Evaluate(slice.Target, scope), Optional(slice.Start, scope), Optional(slice.Stop, scope), Optional(slice.Step, scope));
            case CallExpr call:
                return Evaluate(call.Callee, scope) switch
                {
                    TemplateFunction function => function(EvaluateArguments(call.Arguments, scope)),
                    Undefined u => throw u.Error(),
                    var other => throw new ChatTemplateException($"'{TemplateValues.TypeName(other)}' object is not callable"),
                };
            case FilterExpr filter:
                return TemplateFilters.Apply(filter.Name, Evaluate(filter.Value, scope), EvaluateArguments(filter.Arguments, scope));
            case TestExpr test:
                return TemplatePredicates.Test(test.Name, Evaluate(test.Value, scope), EvaluateArguments(test.Arguments, scope)) != test.Negated;
            case UnaryExpr unary:
                var operand = Evaluate(unary.Operand, scope);
                return unary.Operator == "not" ? !TemplateValues.IsTruthy(operand) : TemplateOperators.Negate(unary.Operator, operand);
            case BinaryExpr binary:
                return EvaluateBinary(binary, scope);
            case CompareExpr compare:
                var left = Evaluate(compare.First, scope);
                foreach (var (op, operandExpr) in compare.Rest)
                {
                    var right = Evaluate(operandExpr, scope);
                    if (!Compare(op, left, right)) return false;
                    left = right;
                }
                return true;
            case ConditionalExpr conditional:
                return TemplateValues.IsTruthy(Evaluate(conditional.Condition, scope))
                    ? Evaluate(conditional.Then, scope)
                    : conditional.Otherwise is { } otherwise ? Evaluate(otherwise, scope) : new Undefined("the conditional expression has no else branch");
            default:
                throw new ChatTemplateException($"cannot evaluate {expr.GetType().Name}");
        }
    }

    private object? EvaluateBinary(BinaryExpr binary, Scope scope)
    {
        var left = Evaluate(binary.Left, scope);
        // and/or return an operand, not a bool, and skip the right side when the left decides, as in Python.
        return binary.Operator switch
        {
            "and" => TemplateValues.IsTruthy(left) ? Evaluate(binary.Right, scope) : left,
            "or" => TemplateValues.IsTruthy(left) ? left : Evaluate(binary.Right, scope),
            "~" => TemplateOperators.Concatenate(TemplateValues.ToText(left), TemplateValues.ToText(Evaluate(binary.Right, scope))),
            _ => TemplateOperators.Binary(binary.Operator, left, Evaluate(binary.Right, scope)),
        };
    }

    private static bool Compare(string op, object? left, object? right) => op switch
    {
        "==" => TemplateValues.AreEqual(left, right),
        "!=" => !TemplateValues.AreEqual(left, right),
        "in" => TemplateValues.Contains(right, left),
        "not in" => !TemplateValues.Contains(right, left),
        "<" => TemplateValues.Compare(left, right, op) < 0,
        "<=" => TemplateValues.Compare(left, right, op) <= 0,
        ">" => TemplateValues.Compare(left, right, op) > 0,
        _ => TemplateValues.Compare(left, right, op) >= 0,
    };

    private object? Optional(Expr? expr, Scope scope) => expr is null ? null : Evaluate(expr, scope);

    private Arguments EvaluateArguments(CallArguments arguments, Scope scope) =>
        new(arguments.Positional.Select(a => Evaluate(a, scope)).ToList(),
            arguments.Named.ToDictionary(a => a.Name, a => Evaluate(a.Value, scope), StringComparer.Ordinal));

    /// <summary>Gives errors from helpers, which do not know where they are in the source, the position of the expression.</summary>
    private static T Located<T>(SourcePosition position, Func<T> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (ChatTemplateException e) when (e.Position is null)
        {
            throw new ChatTemplateException(e.Detail, position);
        }
    }
}
