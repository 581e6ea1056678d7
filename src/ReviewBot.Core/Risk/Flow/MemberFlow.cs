using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Flow;

/// <summary>
/// The intra-procedural flow pass over one member body, on syntax alone (no compilation): walks the statements in
/// order, keeping for every local what may reach it (<see cref="FlowValue"/>), joining branches, skipping branches
/// whose condition is a constant (literals, consts and literal-returning methods of the file), treating a
/// <c>return</c>/<c>throw</c> after a failed validation as a guard, and recording the state before each statement.
/// A rule then asks <see cref="ValueAt"/> what an expression at its sink may hold. Path-insensitive otherwise: a
/// value that may come from a source on some path is tainted. Loop bodies are walked once; a <c>catch</c> block
/// changes after the <c>try</c> only the variables it assigns (a parse that throws skips the code after it).
/// Bounded: past <see cref="MaxDepth"/> nesting or <see cref="MaxStatements"/> statements the member is "too
/// complex" and every value in it is of unknown origin (never silently constant).
/// </summary>
public sealed class MemberFlow
{
    public const int MaxDepth = 96;
    public const int MaxStatements = 20_000;

    private readonly Dictionary<SyntaxNode, ImmutableDictionary<string, FlowValue>?> before = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<List<ImmutableDictionary<string, FlowValue>>> exits = new();
    private readonly SyntaxNode owner;
    private FileConstants constants = null!; // set by the walk
    private bool walked;
    private int statements;
    private bool tooComplex;

    /// <summary>What the walk starts from: empty, or what a caller passes in (<see cref="Called"/>).</summary>
    private readonly ImmutableDictionary<string, FlowValue> entry;

    private MemberFlow(SyntaxNode owner, ImmutableDictionary<string, FlowValue>? entry)
    {
        this.owner = owner;
        this.entry = entry ?? ImmutableDictionary<string, FlowValue>.Empty.WithComparers(StringComparer.Ordinal);
    }

    /// <summary>
    /// Walks the member's statements once, on the first question about values or reachability: a rule that only asks
    /// for a local's definitions (<see cref="Definitions"/>, <see cref="SingleDefinition"/>) never pays for it.
    /// </summary>
    private void Walk()
    {
        if (walked)
        {
            return;
        }

        walked = true;
        constants = FileConstants.Of(owner.SyntaxTree);
        ImmutableDictionary<string, FlowValue>? state = entry;
        switch (owner)
        {
            case BaseMethodDeclarationSyntax { Body: { } body }:
                Statement(body, ref state, 0);
                break;
            case AccessorDeclarationSyntax { Body: { } body }:
                Statement(body, ref state, 0);
                break;
            case CompilationUnitSyntax unit:
                foreach (var global in unit.Members.OfType<GlobalStatementSyntax>())
                {
                    Statement(global.Statement, ref state, 0);
                }

                break;
        }
    }

    /// <summary>The flow of the member (method, accessor, top-level statements) that holds <paramref name="node"/>.</summary>
    public static SyntaxNode OwnerOf(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or MemberDeclarationSyntax and not GlobalStatementSyntax:
                    return current;
                case GlobalStatementSyntax global:
                    return global.Parent ?? global;
            }
        }

        return node.SyntaxTree.GetRoot();
    }

    /// <summary>The flow of <paramref name="owner"/>: its statements are walked on the first question about values or reachability.</summary>
    public static MemberFlow Analyze(SyntaxNode owner) => new(owner, null);

    /// <summary>
    /// The flow of a method as one call runs it: its parameters and the fields it reads hold what the caller passes
    /// and left in them (<paramref name="entry"/>, by name; a local of the method of the same name hides them).
    /// </summary>
    public static MemberFlow Called(MethodDeclarationSyntax method, ImmutableDictionary<string, FlowValue> entry) => new(method, entry);

    /// <summary>What each local (and each field the member assigned) may hold where <paramref name="node"/> stands; null when unreachable.</summary>
    public ImmutableDictionary<string, FlowValue>? StateAt(SyntaxNode node)
    {
        Walk();
        if (tooComplex)
        {
            return entry;
        }

        for (var current = Anchor(node); current is not null; current = current.Parent)
        {
            if (before.TryGetValue(current, out var recorded))
            {
                return recorded;
            }
        }

        return entry;
    }

    /// <summary>Every value the member gives the local: declaration initializers and assignments (at most 16).</summary>
    public IReadOnlyList<ExpressionSyntax> Definitions(IdentifierNameSyntax local)
        => Locals.TryGetValue(local.Identifier.ValueText, out var known) ? known.Values : [];

    /// <summary>
    /// What a local stands for when it is given a value once: the initializer of its only declaration in the member,
    /// with no other assignment to the name; null otherwise (or when the name is not a local).
    /// </summary>
    public ExpressionSyntax? SingleDefinition(IdentifierNameSyntax local)
        => Locals.TryGetValue(local.Identifier.ValueText, out var known) && known is { Declarations: 1, Assignments: 0, Values: [var only] } ? only : null;

    /// <summary>The type a local is declared with (<c>var</c> included); null when the name is not a declared local.</summary>
    public TypeSyntax? DeclaredType(IdentifierNameSyntax local)
        => Locals.TryGetValue(local.Identifier.ValueText, out var known) ? known.Type : null;

    /// <summary>The member's locals (and names it assigns) by name, indexed once (one pass over the member) on first use.</summary>
    private Dictionary<string, LocalFacts> Locals => locals ??= IndexLocals(owner);

    private Dictionary<string, LocalFacts>? locals;

    private sealed class LocalFacts
    {
        public TypeSyntax? Type { get; set; }

        public int Declarations { get; set; }

        public int Assignments { get; set; }

        public List<ExpressionSyntax> Values { get; } = [];
    }

    private static Dictionary<string, LocalFacts> IndexLocals(SyntaxNode owner)
    {
        var index = new Dictionary<string, LocalFacts>(StringComparer.Ordinal);
        foreach (var node in owner.DescendantNodes())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator:
                    var declared = Facts(index, declarator.Identifier.ValueText);
                    declared.Declarations++;
                    declared.Type ??= (declarator.Parent as VariableDeclarationSyntax)?.Type;
                    if (declarator.Initializer is null)
                    {
                        declared.Assignments++; // declared without a value: given one later
                    }
                    else if (declared.Values.Count < 16)
                    {
                        declared.Values.Add(declarator.Initializer.Value);
                    }

                    break;
                case SingleVariableDesignationSyntax or ForEachStatementSyntax:
                    // Pattern, out and foreach variables: declared, with a value the member does not spell out.
                    var bound = Facts(index, node is ForEachStatementSyntax loop ? loop.Identifier.ValueText : ((SingleVariableDesignationSyntax)node).Identifier.ValueText);
                    bound.Declarations++;
                    bound.Assignments++;
                    break;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment:
                    var assigned = Facts(index, target.Identifier.ValueText);
                    assigned.Assignments++;
                    if (assigned.Values.Count < 16)
                    {
                        assigned.Values.Add(assignment.Right);
                    }

                    break;
            }
        }

        return index;
    }

    private static LocalFacts Facts(Dictionary<string, LocalFacts> index, string name)
        => index.TryGetValue(name, out var facts) ? facts : index[name] = new LocalFacts();

    /// <summary>
    /// The real call whose stand-in the rules are looking at (set by <see cref="Analysis.SyntaxContext.FlowAt"/>): nodes of
    /// the stand-in's own tree are judged with the state where that call stands.
    /// </summary>
    internal SyntaxNode? StandInSite { get; set; }

    /// <summary>Where the state of <paramref name="node"/> is looked up: the node itself, or the real call of a stand-in.</summary>
    private SyntaxNode Anchor(SyntaxNode node)
        => StandInSite is { } site && node.SyntaxTree != owner.SyntaxTree ? site : node;

    /// <summary>What <paramref name="expression"/> may hold where it stands; null when the code is unreachable.</summary>
    public FlowValue? ValueAt(ExpressionSyntax expression)
    {
        Walk();
        if (tooComplex)
        {
            return FlowValue.Unknown("a value in a member too deep or too long for the flow pass", Line(expression));
        }

        var state = entry;
        var anchor = Anchor(expression);
        for (var node = anchor == expression ? expression.Parent : anchor; node is not null; node = node.Parent)
        {
            if (before.TryGetValue(node, out var recorded))
            {
                if (recorded is null)
                {
                    return null;
                }

                state = recorded;
                break;
            }
        }

        return Eval(expression, state, 0);
    }

    /// <summary>True when the statement holding <paramref name="node"/> can run (its branch condition is not a constant false).</summary>
    public bool IsReachable(SyntaxNode node)
    {
        Walk();
        for (var current = Anchor(node); current is not null; current = current.Parent)
        {
            if (before.TryGetValue(current, out var recorded))
            {
                return recorded is not null;
            }
        }

        return true;
    }

    private static int Line(SyntaxNode node) => node.SyntaxTree.GetLineSpan(node.Span).StartLinePosition.Line + 1;

    private void Statement(StatementSyntax statement, ref ImmutableDictionary<string, FlowValue>? state, int depth)
    {
        before[statement] = state;
        if (state is null || tooComplex)
        {
            return;
        }

        if (depth > MaxDepth || ++statements > MaxStatements)
        {
            tooComplex = true;
            return;
        }

        switch (statement)
        {
            case BlockSyntax block:
                foreach (var inner in block.Statements)
                {
                    Statement(inner, ref state, depth + 1);
                }

                break;
            case LocalDeclarationStatementSyntax declaration:
                Declare(declaration.Declaration, ref state, depth);
                break;
            case ExpressionStatementSyntax expression:
                state = Effects(expression.Expression, state, depth);
                break;
            case IfStatementSyntax ifStatement:
                If(ifStatement, ref state, depth);
                break;
            case WhileStatementSyntax loop:
                Loop(loop.Condition, loop.Statement, ref state, depth, runsOnce: false);
                break;
            case DoStatementSyntax loop:
                Loop(loop.Condition, loop.Statement, ref state, depth, runsOnce: true);
                break;
            case ForStatementSyntax loop:
                if (loop.Declaration is not null)
                {
                    Declare(loop.Declaration, ref state, depth);
                }

                foreach (var initializer in loop.Initializers)
                {
                    state = Effects(initializer, state!, depth);
                }

                Loop(loop.Condition, loop.Statement, ref state, depth, runsOnce: false);
                break;
            case ForEachStatementSyntax loop:
                state = Effects(loop.Expression, state, depth);
                var element = Eval(loop.Expression, state, depth).Through(Line(loop));
                var inside = state.SetItem(loop.Identifier.ValueText, element);
                Loop(null, loop.Statement, ref state, depth, runsOnce: false, entry: inside);
                break;
            case ForEachVariableStatementSyntax loop:
                state = Effects(loop.Expression, state, depth);
                var elements = Eval(loop.Expression, state, depth).Through(Line(loop));
                var bound = state;
                foreach (var designation in loop.Variable.DescendantNodes().OfType<SingleVariableDesignationSyntax>())
                {
                    bound = bound.SetItem(designation.Identifier.ValueText, elements);
                }

                Loop(null, loop.Statement, ref state, depth, runsOnce: false, entry: bound);
                break;
            case SwitchStatementSyntax switchStatement:
                Switch(switchStatement, ref state, depth);
                break;
            case TryStatementSyntax tryStatement:
                Try(tryStatement, ref state, depth);
                break;
            case UsingStatementSyntax usingStatement:
                if (usingStatement.Declaration is not null)
                {
                    Declare(usingStatement.Declaration, ref state, depth);
                }
                else if (usingStatement.Expression is not null)
                {
                    state = Effects(usingStatement.Expression, state, depth);
                }

                Statement(usingStatement.Statement, ref state, depth + 1);
                break;
            case LockStatementSyntax or FixedStatementSyntax or CheckedStatementSyntax or UnsafeStatementSyntax or LabeledStatementSyntax:
                Statement(Wrapped(statement), ref state, depth + 1);
                break;
            case LocalFunctionStatementSyntax function:
                if (function.Body is not null)
                {
                    ImmutableDictionary<string, FlowValue>? local = state;
                    Statement(function.Body, ref local, depth + 1);
                }

                break;
            case ReturnStatementSyntax ret:
                if (ret.Expression is not null)
                {
                    state = Effects(ret.Expression, state, depth);
                }

                state = null;
                break;
            case ThrowStatementSyntax or GotoStatementSyntax:
                state = null;
                break;
            case BreakStatementSyntax or ContinueStatementSyntax:
                if (exits.Count > 0)
                {
                    exits.Peek().Add(state);
                }

                state = null;
                break;
            case YieldStatementSyntax yield when yield.Expression is not null:
                state = Effects(yield.Expression, state, depth);
                break;
        }
    }

    /// <summary>The statement a lock, fixed, checked, unsafe or labeled statement wraps.</summary>
    private static StatementSyntax Wrapped(StatementSyntax statement) => statement switch
    {
        LockStatementSyntax l => l.Statement,
        FixedStatementSyntax f => f.Statement,
        CheckedStatementSyntax c => c.Block,
        UnsafeStatementSyntax u => u.Block,
        LabeledStatementSyntax l => l.Statement,
        _ => statement,
    };

    private void Declare(VariableDeclarationSyntax declaration, ref ImmutableDictionary<string, FlowValue>? state, int depth)
    {
        var nonText = FlowCatalog.NonTextTypes.Contains(declaration.Type.ToString());
        foreach (var variable in declaration.Variables)
        {
            if (state is null)
            {
                return;
            }

            FlowValue value;
            if (variable.Initializer is { Value: var init })
            {
                state = Effects(init, state, depth);
                value = Eval(init, state, depth).Through(Line(variable));
            }
            else
            {
                value = FlowValue.Constant;
            }

            state = state.SetItem(variable.Identifier.ValueText, nonText && value.Origin > Origin.Sanitized ? FlowValue.Sanitized("a " + declaration.Type + " value", Line(variable)) : value);
        }
    }

    private void If(IfStatementSyntax statement, ref ImmutableDictionary<string, FlowValue>? current, int depth)
    {
        if (current is null)
        {
            return;
        }

        var state = Effects(statement.Condition, current, depth);

        var constant = ConstantCondition(statement.Condition, 0);
        var whenTrue = constant == false ? null : Refine(state, statement.Condition, true);
        var whenFalse = constant == true ? null : Refine(state, statement.Condition, false);
        Statement(statement.Statement, ref whenTrue, depth + 1);
        if (statement.Else is not null)
        {
            Statement(statement.Else.Statement, ref whenFalse, depth + 1);
        }

        current = Join(whenTrue, whenFalse);
    }

    private void Loop(
        ExpressionSyntax? condition,
        StatementSyntax body,
        ref ImmutableDictionary<string, FlowValue>? state,
        int depth,
        bool runsOnce,
        ImmutableDictionary<string, FlowValue>? entry = null)
    {
        if (state is null)
        {
            return;
        }

        var constant = condition is null ? null : ConstantCondition(condition, 0);
        var inside = constant == false && !runsOnce ? null : condition is null ? entry ?? state : Refine(entry ?? state, condition, true);
        exits.Push([]);
        Statement(body, ref inside, depth + 1);
        var left = exits.Pop();
        var after = constant == true ? null : runsOnce ? inside : Join(state, inside);
        foreach (var exit in left)
        {
            after = Join(after, exit);
        }

        state = after;
    }

    private void Switch(SwitchStatementSyntax statement, ref ImmutableDictionary<string, FlowValue>? current, int depth)
    {
        if (current is null)
        {
            return;
        }

        var state = Effects(statement.Expression, current, depth);

        var selector = ConstantValue(statement.Expression, 0, out var known) ? known : null;
        var selected = selector is null ? null : statement.Sections.FirstOrDefault(s => s.Labels.Any(l =>
            l is CaseSwitchLabelSyntax c && ConstantValue(c.Value, 0, out var v) && Equals(v, selector)))
            ?? statement.Sections.FirstOrDefault(s => s.Labels.Any(l => l is DefaultSwitchLabelSyntax));
        exits.Push([]);
        ImmutableDictionary<string, FlowValue>? fallsOut = null;
        foreach (var section in statement.Sections)
        {
            var live = selector is null || section == selected ? state : null;
            foreach (var inner in section.Statements)
            {
                Statement(inner, ref live, depth + 1);
            }

            fallsOut = Join(fallsOut, live);
        }

        var after = fallsOut;
        foreach (var exit in exits.Pop())
        {
            after = Join(after, exit);
        }

        var hasDefault = statement.Sections.Any(s => s.Labels.Any(l => l is DefaultSwitchLabelSyntax));
        current = selector is null && !hasDefault ? Join(after, state) : after;
    }

    private void Try(TryStatementSyntax statement, ref ImmutableDictionary<string, FlowValue>? state, int depth)
    {
        var entry = state;
        Statement(statement.Block, ref state, depth + 1);
        var after = state;
        foreach (var handler in statement.Catches)
        {
            var caught = Join(entry, after);
            if (caught is not null && handler.Declaration is { Identifier.ValueText: { Length: > 0 } name })
            {
                caught = caught.SetItem(name, FlowValue.Sanitized("the exception '" + name + "'", Line(handler)));
            }

            var start = caught;
            Statement(handler.Block, ref caught, depth + 1);
            if (caught is null)
            {
                continue;
            }

            if (after is null)
            {
                after = caught;
                continue;
            }

            foreach (var (variable, value) in caught)
            {
                if (start is null || !start.TryGetValue(variable, out var was) || !ReferenceEquals(was, value))
                {
                    after = after.SetItem(variable, after.TryGetValue(variable, out var mine) ? FlowValue.Merge(mine, value) : value);
                }
            }
        }

        state = after;
        if (statement.Finally is not null)
        {
            var final = Join(entry, state);
            Statement(statement.Finally.Block, ref final, depth + 1);
            state = state is null ? null : final;
        }
    }

    private static ImmutableDictionary<string, FlowValue>? Join(ImmutableDictionary<string, FlowValue>? a, ImmutableDictionary<string, FlowValue>? b)
    {
        if (a is null || ReferenceEquals(a, b))
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var joined = a;
        foreach (var (name, value) in b)
        {
            joined = joined.TryGetValue(name, out var mine)
                ? ReferenceEquals(mine, value) ? joined : joined.SetItem(name, FlowValue.Merge(mine, value))
                : joined.SetItem(name, value);
        }

        return joined;
    }

    /// <summary>Assignments, builder appends, buffer reads and out arguments inside an expression, in order.</summary>
    private ImmutableDictionary<string, FlowValue> Effects(ExpressionSyntax expression, ImmutableDictionary<string, FlowValue> state, int depth)
    {
        foreach (var node in expression.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax))
        {
            switch (node)
            {
                case AssignmentExpressionSyntax assignment:
                    Assign(assignment, ref state, depth);
                    break;
                case InvocationExpressionSyntax invocation:
                    CallEffects(invocation, ref state, depth);
                    break;
                case AnonymousFunctionExpressionSyntax { Block: { } body }:
                    ImmutableDictionary<string, FlowValue>? local = state;
                    Statement(body, ref local, depth + 1);
                    break;
            }
        }

        return state;
    }

    private void Assign(AssignmentExpressionSyntax assignment, ref ImmutableDictionary<string, FlowValue> state, int depth)
    {
        var value = Eval(assignment.Right, state, depth).Through(Line(assignment));
        switch (assignment.Left)
        {
            case IdentifierNameSyntax target:
                var name = target.Identifier.ValueText;
                if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && state.TryGetValue(name, out var previous))
                {
                    value = FlowValue.Merge(previous, value);
                }

                state = state.SetItem(name, value);
                break;
            case MemberAccessExpressionSyntax or ElementAccessExpressionSyntax when RootLocal(assignment.Left, state) is { } root:
                state = state.SetItem(root, FlowValue.Merge(state[root], value));
                break;
        }
    }

    private void CallEffects(InvocationExpressionSyntax invocation, ref ImmutableDictionary<string, FlowValue> state, int depth)
    {
        var name = SyntaxHelpers.SimpleName(invocation.Expression);
        if (name is null)
        {
            return;
        }

        var line = Line(invocation);
        var receiver = (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
        var args = invocation.ArgumentList.Arguments;
        if (FlowCatalog.Absorbing.Contains(name) && receiver is not null && RootLocal(receiver, state) is { } builder)
        {
            var added = state[builder];
            foreach (var arg in args)
            {
                added = FlowValue.Merge(added, Eval(arg.Expression, state, depth).Through(line));
            }

            state = state.SetItem(builder, added);
        }

        if (IsNumericParse(name, SyntaxHelpers.SimpleName(receiver)) && args.Count > 0 && args[0].Expression is IdentifierNameSyntax parsed
            && state.ContainsKey(parsed.Identifier.ValueText))
        {
            // Past a parse that throws on anything but a number, the text is a number.
            state = state.SetItem(parsed.Identifier.ValueText, FlowValue.Sanitized("validated by " + Short(invocation.Expression) + "(...) on line " + line, line));
        }

        if (FlowCatalog.BufferReads.Contains(name) && args.Count > 0 && args[0].Expression is IdentifierNameSyntax buffer && receiver is not null)
        {
            state = state.SetItem(buffer.Identifier.ValueText, FlowValue.Tainted(receiver + "." + name + "(...)", line));
        }

        foreach (var arg in args)
        {
            if (!arg.RefKindKeyword.IsKind(SyntaxKind.OutKeyword))
            {
                continue;
            }

            var target = arg.Expression switch
            {
                DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax d } => d.Identifier.ValueText,
                IdentifierNameSyntax id => id.Identifier.ValueText,
                _ => null,
            };
            if (target is not null)
            {
                var unknown = FlowValue.Unknown("the out value of " + name + "(...)", line);
                var result = name.StartsWith("TryParse", StringComparison.Ordinal) ? FlowValue.Sanitized(name + "(...)", line)
                    : FlowCatalog.Lookups.Contains(name) ? FlowValue.Merge(receiver is null ? FlowValue.Constant : Receiver(receiver, state, depth), unknown)
                    : FlowValue.Merge(Eval(invocation, state, depth), unknown);
                state = state.SetItem(target, result);
            }
        }
    }

    /// <summary>The local at the root of <c>a.b[c].d</c>, when it is one the pass tracks.</summary>
    private static string? RootLocal(ExpressionSyntax expression, ImmutableDictionary<string, FlowValue> state)
    {
        while (true)
        {
            switch (expression)
            {
                case IdentifierNameSyntax id:
                    return state.ContainsKey(id.Identifier.ValueText) ? id.Identifier.ValueText : null;
                case MemberAccessExpressionSyntax m:
                    expression = m.Expression;
                    break;
                case ElementAccessExpressionSyntax e:
                    expression = e.Expression;
                    break;
                case ParenthesizedExpressionSyntax p:
                    expression = p.Expression;
                    break;
                default:
                    return null;
            }
        }
    }

    /// <summary>The state on the branch where <paramref name="condition"/> is <paramref name="holds"/>: values it validated become sanitized.</summary>
    private static ImmutableDictionary<string, FlowValue> Refine(ImmutableDictionary<string, FlowValue> state, ExpressionSyntax condition, bool holds)
    {
        var validated = new List<(string Name, FlowValue Value)>();
        Validated(condition, holds, validated, 0);
        foreach (var (name, value) in validated)
        {
            state = state.SetItem(name, value);
        }

        return state;
    }

    private static readonly HashSet<string> ReceiverMustNotContain = new(StringComparer.Ordinal) { "Contains", "ContainsKey", "ContainsValue", "Any", "Exists" };

    private static void Validated(ExpressionSyntax condition, bool holds, List<(string, FlowValue)> found, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        switch (condition)
        {
            case ParenthesizedExpressionSyntax p:
                Validated(p.Expression, holds, found, depth + 1);
                break;
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                Validated(u.Operand, !holds, found, depth + 1);
                break;
            case BinaryExpressionSyntax b when (b.IsKind(SyntaxKind.LogicalAndExpression) && holds) || (b.IsKind(SyntaxKind.LogicalOrExpression) && !holds):
                Validated(b.Left, holds, found, depth + 1);
                Validated(b.Right, holds, found, depth + 1);
                break;
            case BinaryExpressionSyntax b when (b.IsKind(SyntaxKind.EqualsExpression) && holds) || (b.IsKind(SyntaxKind.NotEqualsExpression) && !holds):
                var (name, other) = b.Left is IdentifierNameSyntax l ? (l.Identifier.ValueText, b.Right) : b.Right is IdentifierNameSyntax r ? (r.Identifier.ValueText, b.Left) : (null, b.Left);
                if (name is not null && other is LiteralExpressionSyntax literal && !literal.IsKind(SyntaxKind.NullLiteralExpression))
                {
                    found.Add((name, FlowValue.Constant));
                }

                break;
            case InvocationExpressionSyntax invocation when SyntaxHelpers.SimpleName(invocation.Expression) is { } check && FlowCatalog.Validations.Contains(check):
                var line = Line(invocation);
                var how = FlowValue.Sanitized("checked by " + check + "(...) on line " + line, line);
                if (invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver }
                    && holds != ReceiverMustNotContain.Contains(check))
                {
                    found.Add((receiver.Identifier.ValueText, how));
                }

                if (holds)
                {
                    foreach (var arg in invocation.ArgumentList.Arguments)
                    {
                        if (arg.Expression is IdentifierNameSyntax checkedName && !arg.RefKindKeyword.IsKind(SyntaxKind.OutKeyword))
                        {
                            found.Add((checkedName.Identifier.ValueText, how));
                        }
                    }
                }

                break;
        }
    }

    /// <summary>true/false when the condition is a constant of the file; null when it depends on the run.</summary>
    private bool? ConstantCondition(ExpressionSyntax condition, int depth)
        => ConstantValue(condition, depth, out var value) && value is bool b ? b : null;

    private bool ConstantValue(ExpressionSyntax expression, int depth, out object? value)
    {
        value = null;
        if (depth > MaxDepth)
        {
            return false;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax literal:
                value = literal.Token.Value;
                return true;
            case ParenthesizedExpressionSyntax p:
                return ConstantValue(p.Expression, depth + 1, out value);
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                if (ConstantValue(u.Operand, depth + 1, out var operand) && operand is bool ob)
                {
                    value = !ob;
                    return true;
                }

                return false;
            case IdentifierNameSyntax id:
                return IsUnshadowedField(id) && constants.TryField(id.Identifier.ValueText, out value);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var field }:
                return constants.TryField(field.Identifier.ValueText, out value);
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax method, ArgumentList.Arguments.Count: 0 }:
                return constants.TryMethod(method.Identifier.ValueText, out value);
            case BinaryExpressionSyntax b:
                if (!ConstantValue(b.Left, depth + 1, out var left) || !ConstantValue(b.Right, depth + 1, out var right))
                {
                    return false;
                }

                value = Fold(b.Kind(), left, right);
                return value is not null;
            default:
                return false;
        }
    }

    private static object? Fold(SyntaxKind kind, object? left, object? right)
    {
        if (left is bool lb && right is bool rb)
        {
            return kind switch
            {
                SyntaxKind.LogicalAndExpression => lb && rb,
                SyntaxKind.LogicalOrExpression => lb || rb,
                SyntaxKind.EqualsExpression => lb == rb,
                SyntaxKind.NotEqualsExpression => lb != rb,
                _ => null,
            };
        }

        if (left is int li && right is int ri)
        {
            return kind switch
            {
                SyntaxKind.EqualsExpression => li == ri,
                SyntaxKind.NotEqualsExpression => li != ri,
                SyntaxKind.LessThanExpression => li < ri,
                SyntaxKind.LessThanOrEqualExpression => li <= ri,
                SyntaxKind.GreaterThanExpression => li > ri,
                SyntaxKind.GreaterThanOrEqualExpression => li >= ri,
                _ => null,
            };
        }

        return null;
    }

    /// <summary>No parameter or local of the member bears the field's name (a const of the file is what the name means).</summary>
    private bool IsUnshadowedField(IdentifierNameSyntax id)
        => ParameterValue(id) is null && !Locals.ContainsKey(id.Identifier.ValueText);

    /// <summary>What <paramref name="expression"/> may hold in <paramref name="state"/>.</summary>
    private FlowValue Eval(ExpressionSyntax expression, ImmutableDictionary<string, FlowValue> state, int depth)
    {
        if (depth > MaxDepth)
        {
            return FlowValue.Unknown("an expression too deep for the flow pass", Line(expression));
        }

        switch (expression)
        {
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression or (int)SyntaxKind.Utf8StringLiteralExpression } literal
                when literal.Token.ValueText.Length > 0:
                return FlowValue.Literal(Short(literal), Line(literal));
            case LiteralExpressionSyntax or TypeOfExpressionSyntax or SizeOfExpressionSyntax or DefaultExpressionSyntax or AnonymousFunctionExpressionSyntax
                or ThisExpressionSyntax or BaseExpressionSyntax or PredefinedTypeSyntax:
                return FlowValue.Constant;
            case InterpolatedStringExpressionSyntax interpolated:
                var text = FlowValue.Constant;
                foreach (var part in interpolated.Contents)
                {
                    if (part is InterpolationSyntax hole)
                    {
                        text = FlowValue.Merge(text, Eval(hole.Expression, state, depth + 1));
                    }
                }

                return text;
            case IdentifierNameSyntax id:
                return Identifier(id, state);
            case ParenthesizedExpressionSyntax p:
                return Eval(p.Expression, state, depth + 1);
            case CastExpressionSyntax cast:
                return FlowCatalog.NonTextTypes.Contains(cast.Type.ToString())
                    ? FlowValue.Sanitized("a cast to " + cast.Type, Line(cast))
                    : Eval(cast.Expression, state, depth + 1);
            case AwaitExpressionSyntax awaited:
                return Eval(awaited.Expression, state, depth + 1);
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed:
                return Eval(suppressed.Operand, state, depth + 1);
            case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or IsPatternExpressionSyntax:
                return FlowValue.Sanitized("a number or a yes/no", Line(expression));
            case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression) || b.IsKind(SyntaxKind.CoalesceExpression):
                return Chain(b, state, depth);
            case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AsExpression):
                return Eval(b.Left, state, depth + 1);
            case BinaryExpressionSyntax:
                return FlowValue.Sanitized("a number or a yes/no", Line(expression));
            case ConditionalExpressionSyntax conditional:
                return FlowValue.Merge(Eval(conditional.WhenTrue, state, depth + 1), Eval(conditional.WhenFalse, state, depth + 1));
            case AssignmentExpressionSyntax assignment:
                return Eval(assignment.Right, state, depth + 1);
            case ConditionalAccessExpressionSyntax access:
                return Eval(access.Expression, state, depth + 1);
            case MemberAccessExpressionSyntax member:
                return Member(member, state, depth);
            case ElementAccessExpressionSyntax element:
                return element.Expression is MemberAccessExpressionSyntax m && IsRequestData(m, state)
                    ? FlowValue.Tainted(Short(expression), Line(expression))
                    : Eval(element.Expression, state, depth + 1);
            case InvocationExpressionSyntax invocation:
                return Call(invocation, state, depth);
            case BaseObjectCreationExpressionSyntax creation:
                var created = FlowValue.Constant;
                foreach (var arg in creation.ArgumentList?.Arguments ?? default)
                {
                    created = FlowValue.Merge(created, Eval(arg.Expression, state, depth + 1));
                }

                foreach (var init in creation.Initializer?.Expressions ?? default)
                {
                    created = FlowValue.Merge(created, Eval(init, state, depth + 1));
                }

                return created;
            case InitializerExpressionSyntax or CollectionExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
                or TupleExpressionSyntax:
                var all = FlowValue.Constant;
                foreach (var part in expression.ChildNodes())
                {
                    if (part is ExpressionSyntax e)
                    {
                        all = FlowValue.Merge(all, Eval(e, state, depth + 1));
                    }
                    else if (part is ArgumentSyntax or ExpressionElementSyntax or InitializerExpressionSyntax)
                    {
                        foreach (var inner in part.ChildNodes().OfType<ExpressionSyntax>())
                        {
                            all = FlowValue.Merge(all, Eval(inner, state, depth + 1));
                        }
                    }
                }

                return all;
            case SwitchExpressionSyntax switchExpression:
                var arms = FlowValue.Constant;
                foreach (var arm in switchExpression.Arms)
                {
                    arms = FlowValue.Merge(arms, Eval(arm.Expression, state, depth + 1));
                }

                return arms;
            default:
                return FlowValue.Unknown("'" + Short(expression) + "'", Line(expression));
        }
    }

    /// <summary>a + b + c (or a ?? b ?? c): the left spine walked in a loop, so long chains cannot overflow the stack.</summary>
    private FlowValue Chain(BinaryExpressionSyntax chain, ImmutableDictionary<string, FlowValue> state, int depth)
    {
        var value = FlowValue.Constant;
        ExpressionSyntax current = chain;
        while (current is BinaryExpressionSyntax b && b.RawKind == chain.RawKind)
        {
            value = FlowValue.Merge(value, Eval(b.Right, state, depth + 1));
            current = b.Left;
        }

        return FlowValue.Merge(Eval(current, state, depth + 1), value);
    }

    private FlowValue Identifier(IdentifierNameSyntax id, ImmutableDictionary<string, FlowValue> state)
    {
        var name = id.Identifier.ValueText;
        if (state.TryGetValue(name, out var value))
        {
            return value;
        }

        if (ParameterValue(id) is { } parameter)
        {
            return parameter;
        }

        if (constants.TryField(name, out _))
        {
            return FlowValue.Constant;
        }

        return FlowValue.Unknown("'" + name + "'", Line(id));
    }

    /// <summary>A parameter the name refers to: request data for web handlers, command-line arguments, unknown otherwise.</summary>
    private static FlowValue? ParameterValue(IdentifierNameSyntax id)
    {
        var name = id.Identifier.ValueText;
        var line = Line(id);
        for (var node = id.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax lambda when LambdaParameters(lambda).Any(p => p.Identifier.ValueText == name):
                    return IsEndpointHandler(lambda)
                        ? FlowValue.Tainted("request parameter '" + name + "'", line)
                        : FlowValue.Unknown("lambda parameter '" + name + "'", line);
                case LocalFunctionStatementSyntax function when function.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name):
                    return FlowValue.Unknown("parameter '" + name + "'", line);
                case AccessorDeclarationSyntax accessor when name == "value" && !accessor.Keyword.IsKind(SyntaxKind.GetKeyword):
                    return FlowValue.Unknown("the assigned value", line);
                case BaseMethodDeclarationSyntax method:
                    var declared = method.ParameterList.Parameters.FirstOrDefault(p => p.Identifier.ValueText == name);
                    return declared is null ? null : MethodParameter(method, declared, line);
                case IndexerDeclarationSyntax indexer when indexer.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name):
                    return FlowValue.Unknown("parameter '" + name + "'", line);
                case TypeDeclarationSyntax type:
                    return type.ParameterList?.Parameters.Any(p => p.Identifier.ValueText == name) == true
                        ? FlowValue.Unknown("parameter '" + name + "'", line)
                        : null;
                case CompilationUnitSyntax when name == "args":
                    return FlowValue.Tainted("command-line arguments 'args'", line);
            }
        }

        return null;
    }

    private static IEnumerable<ParameterSyntax> LambdaParameters(AnonymousFunctionExpressionSyntax lambda) => lambda switch
    {
        ParenthesizedLambdaExpressionSyntax p => p.ParameterList.Parameters,
        SimpleLambdaExpressionSyntax s => [s.Parameter],
        AnonymousMethodExpressionSyntax { ParameterList: { } list } => list.Parameters,
        _ => [],
    };

    /// <summary>A minimal-API handler: the lambda is an argument of <c>MapGet/MapPost/…/MapMethods</c>.</summary>
    private static bool IsEndpointHandler(AnonymousFunctionExpressionSyntax lambda)
        => lambda.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax map } }
            && SyntaxHelpers.SimpleName(map.Expression) is { } mapName && mapName.StartsWith("Map", StringComparison.Ordinal);

    private static FlowValue MethodParameter(BaseMethodDeclarationSyntax method, ParameterSyntax parameter, int line)
    {
        var name = parameter.Identifier.ValueText;
        var type = parameter.Type?.ToString() ?? "";
        if (parameter.AttributeLists.SelectMany(l => l.Attributes).Any(a => SyntaxHelpers.AttributeName(a).StartsWith("From", StringComparison.Ordinal)
                && SyntaxHelpers.AttributeName(a) is not ("FromServices" or "FromKeyedServices")))
        {
            return FlowValue.Tainted("request parameter '" + name + "'", line);
        }

        if (type is "IFormFile" or "IFormFileCollection" or "IFormCollection" or "HttpPostedFile" or "HttpPostedFileBase")
        {
            return FlowValue.Tainted("uploaded file '" + name + "'", line);
        }

        if (method is MethodDeclarationSyntax { Identifier.ValueText: "Main" } main && main.Modifiers.Any(SyntaxKind.StaticKeyword) && type.Contains("string[]", StringComparison.Ordinal))
        {
            return FlowValue.Tainted("command-line arguments '" + name + "'", line);
        }

        if (IsAction(method) && !FlowCatalog.NonTextTypes.Contains(type) && type is not ("CancellationToken"))
        {
            return FlowValue.Tainted("action parameter '" + name + "'", line);
        }

        return FlowValue.Unknown("parameter '" + name + "'", line);
    }

    /// <summary>A public instance method of an MVC/API controller or a Razor page model: its parameters are model-bound from the request.</summary>
    private static bool IsAction(BaseMethodDeclarationSyntax method)
    {
        if (method is not MethodDeclarationSyntax m || !m.Modifiers.Any(SyntaxKind.PublicKeyword) || m.Modifiers.Any(SyntaxKind.StaticKeyword)
            || m.Parent is not ClassDeclarationSyntax type
            || m.AttributeLists.SelectMany(l => l.Attributes).Any(a => SyntaxHelpers.AttributeName(a) == "NonAction"))
        {
            return false;
        }

        return type.Identifier.ValueText.EndsWith("Controller", StringComparison.Ordinal)
            || type.BaseList?.Types.Any(t => SyntaxHelpers.SimpleName(t.Type) is "Controller" or "ControllerBase" or "PageModel" or "ApiController") == true
            || type.AttributeLists.SelectMany(l => l.Attributes).Any(a => SyntaxHelpers.AttributeName(a) == "ApiController");
    }

    /// <summary>Request.Query / Request.Form / req.Cookies … (the receiver is the request, or a parameter typed as one).</summary>
    private static bool IsRequestData(MemberAccessExpressionSyntax member, ImmutableDictionary<string, FlowValue> state)
    {
        if (!FlowCatalog.RequestMembers.Contains(member.Name.Identifier.ValueText))
        {
            return false;
        }

        var receiver = SyntaxHelpers.SimpleName(member.Expression);
        if (FlowCatalog.IsRequestName(receiver))
        {
            return true;
        }

        return member.Expression is IdentifierNameSyntax id && !state.ContainsKey(id.Identifier.ValueText) && ParameterType(id) is { } type
            && (type.EndsWith("Request", StringComparison.Ordinal) || type.EndsWith("RequestBase", StringComparison.Ordinal));
    }

    private static string? ParameterType(IdentifierNameSyntax id)
    {
        for (var node = id.Parent; node is not null; node = node.Parent)
        {
            if (node is BaseMethodDeclarationSyntax method)
            {
                return method.ParameterList.Parameters.FirstOrDefault(p => p.Identifier.ValueText == id.Identifier.ValueText)?.Type?.ToString();
            }
        }

        return null;
    }

    private FlowValue Member(MemberAccessExpressionSyntax member, ImmutableDictionary<string, FlowValue> state, int depth)
    {
        var line = Line(member);
        var name = member.Name.Identifier.ValueText;
        if (IsRequestData(member, state))
        {
            return FlowValue.Tainted(Short(member), line);
        }

        if (FlowCatalog.ConstantMembers.Contains(SyntaxHelpers.SimpleName(member.Expression) + "." + name))
        {
            return FlowValue.Constant;
        }

        if (name is "Length" or "Count" or "LongLength" or "HasValue" or "IsEmpty")
        {
            return FlowValue.Sanitized("a number or a yes/no", line);
        }

        switch (member.Expression)
        {
            case ThisExpressionSyntax:
                return constants.TryField(name, out _) ? FlowValue.Constant : FlowValue.Unknown("'" + Short(member) + "'", line);
            case IdentifierNameSyntax receiver when state.ContainsKey(receiver.Identifier.ValueText) || ParameterValue(receiver) is not null:
                return Eval(receiver, state, depth + 1);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax when constants.TryField(name, out _):
                return FlowValue.Constant;
            case IdentifierNameSyntax or PredefinedTypeSyntax:
                return FlowValue.Unknown("'" + Short(member) + "'", line);
            default:
                var inner = Eval(member.Expression, state, depth + 1);
                return inner.Origin == Origin.Tainted ? inner : FlowValue.Unknown("'" + Short(member) + "'", line);
        }
    }

    private FlowValue Call(InvocationExpressionSyntax invocation, ImmutableDictionary<string, FlowValue> state, int depth)
    {
        var name = SyntaxHelpers.SimpleName(invocation.Expression);
        var line = Line(invocation);
        var receiver = (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
        var receiverName = SyntaxHelpers.SimpleName(receiver);
        var args = invocation.ArgumentList.Arguments;
        if (name is null)
        {
            return FlowValue.Unknown("'" + Short(invocation) + "'", line);
        }

        if (name == "nameof")
        {
            return FlowValue.Constant;
        }

        if (ReturnSummaries.Of(invocation) is { } returned)
        {
            return returned.Through(line);
        }

        if (IsNumericParse(name, receiverName))
        {
            return FlowValue.Sanitized(receiverName + "." + name + "(...)", line);
        }

        if (FlowCatalog.Encoders.Contains(name) || FlowCatalog.PathSanitizers.Contains(name))
        {
            return FlowValue.Sanitized(Short(invocation.Expression) + "(...)", line);
        }

        var generic = invocation.Expression as GenericNameSyntax ?? (invocation.Expression as MemberAccessExpressionSyntax)?.Name as GenericNameSyntax;
        if (generic?.TypeArgumentList.Arguments is [var only] && FlowCatalog.NonTextTypes.Contains(only.ToString()))
        {
            return FlowValue.Sanitized("a " + only + " value", line); // GetValue<long>(), Deserialize<int>(): whatever was read, a number
        }

        if (FlowCatalog.SourceCalls.Contains(name)
            || (FlowCatalog.ColumnReads.Contains(name) && receiverName is not null && !receiverName.Contains("Encoding", StringComparison.Ordinal)
                && receiverName is not ("UTF8" or "ASCII" or "Unicode" or "Latin1" or "UTF32" or "Default")))
        {
            return FlowValue.Tainted(Short(invocation), line);
        }

        if (FlowCatalog.Predicates.Contains(name))
        {
            return FlowValue.Sanitized("a number or a yes/no", line);
        }

        var carried = receiver is null ? FlowValue.Constant : Receiver(receiver, state, depth);
        foreach (var arg in args)
        {
            if (!arg.RefKindKeyword.IsKind(SyntaxKind.OutKeyword))
            {
                carried = FlowValue.Merge(carried, Eval(arg.Expression, state, depth + 1));
            }
        }

        if (FlowCatalog.Propagators.Contains(name) || carried.Origin == Origin.Tainted)
        {
            return carried;
        }

        return FlowValue.Merge(carried, FlowValue.Unknown("the result of " + Short(invocation.Expression) + "(...)", line));
    }

    /// <summary><c>int.Parse(x)</c>, <c>Guid.ParseExact(x)</c>, <c>Convert.ToInt32(x)</c>: the result is a number (or similar), whatever x held.</summary>
    private static bool IsNumericParse(string name, string? receiverName)
        => (receiverName is not null && FlowCatalog.ParsedTypes.Contains(receiverName) && name.StartsWith("Parse", StringComparison.Ordinal))
            || FlowCatalog.IsNumericConversion(name, receiverName);

    /// <summary>A call's receiver as data: a tracked local or parameter, or an expression; a type name (<c>Path</c>, <c>string</c>) carries nothing.</summary>
    private FlowValue Receiver(ExpressionSyntax receiver, ImmutableDictionary<string, FlowValue> state, int depth)
    {
        if (receiver is PredefinedTypeSyntax)
        {
            return FlowValue.Constant;
        }

        if (receiver is IdentifierNameSyntax id && !state.ContainsKey(id.Identifier.ValueText) && ParameterValue(id) is null)
        {
            var text = id.Identifier.ValueText;
            return text.Length > 0 && char.IsUpper(text[0]) ? FlowValue.Constant : Identifier(id, state);
        }

        return Eval(receiver, state, depth + 1);
    }

    private static string Short(SyntaxNode node)
    {
        var text = SyntaxHelpers.Normalize(node);
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
