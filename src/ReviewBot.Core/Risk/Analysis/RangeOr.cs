namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// The bitwise OR of any range of a fixed list of masks in O(log n) (an iterative segment tree). The walk asks, for
/// every node it visits, which rules have a trigger inside the node: a scan of the node's occurrences made that
/// quadratic on long chains (<c>"a" + "a" + …</c>, <c>c ? "a" : c ? "a" : …</c>), where each of n nested nodes holds
/// up to n occurrences. The buffer is reused across walks.
/// </summary>
internal sealed class RangeOr
{
    private ulong[] tree = new ulong[64];
    private int count;

    public void Build(IReadOnlyList<ulong> masks)
    {
        count = masks.Count;
        if (tree.Length < 2 * count)
        {
            tree = new ulong[Math.Max(2 * count, tree.Length * 2)];
        }

        for (var i = 0; i < count; i++)
        {
            tree[count + i] = masks[i];
        }

        for (var i = count - 1; i > 0; i--)
        {
            tree[i] = tree[2 * i] | tree[(2 * i) + 1];
        }
    }

    /// <summary>OR of masks [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public ulong Query(int from, int to)
    {
        var result = 0UL;
        for (int lo = from + count, hi = to + count; lo < hi; lo >>= 1, hi >>= 1)
        {
            if ((lo & 1) == 1)
            {
                result |= tree[lo++];
            }

            if ((hi & 1) == 1)
            {
                result |= tree[--hi];
            }
        }

        return result;
    }
}
