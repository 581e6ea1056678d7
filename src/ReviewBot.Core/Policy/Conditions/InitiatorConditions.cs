namespace ReviewBot.Core.Policy;

/// <summary>
/// <c>initiator: [alice]</c>: the human who dispatched the agent is listed (logins, case-insensitive). Only an
/// initiator identified by a platform fact matches (see <see cref="InitiatorIdentity"/>); a claimed one does not.
/// </summary>
public sealed record InitiatorCondition(IReadOnlyList<string> Users) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var (login, reason) = InitiatorIdentity.Of(context.Authorship);
        if (login is null)
        {
            return new ConditionResult(false, reason);
        }

        return Outcome.Of(Users.Contains(login, StringComparer.OrdinalIgnoreCase), $"{reason} is listed", $"{reason} is not {Names.Or(Users)}");
    }
}

/// <summary><c>initiator_groups: [juniors]</c>: the identified initiator is a member of one of the groups.</summary>
public sealed record InitiatorGroupsCondition(IReadOnlyList<string> Groups) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var (login, reason) = InitiatorIdentity.Of(context.Authorship);
        if (login is null)
        {
            return new ConditionResult(false, reason);
        }

        var group = Groups.FirstOrDefault(g => GroupLookup.Members(context, g)?.Contains(login) == true);
        return Outcome.Of(group is not null, $"{reason} is a member of group {group}", $"{reason} is not in group {Names.Or(Groups)}");
    }
}
