using System.Buffers.Binary;
using System.Numerics;

namespace Dental.Contracts.Hashing;

/// <summary>
/// SHA-256 (FIPS 180-4) whose running state can be saved between two requests and resumed in another process: a resumable
/// upload arrives in many requests, possibly to different instances, and its hash must cover all of them. Neither .NET's
/// hashes nor any package the registry serves can export their state, so this one place computes SHA-256 itself; its tests
/// check it against .NET's on every split of random data.
/// </summary>
public sealed class ResumableSha256
{
    private const int BlockBytes = 64;
    private const int StateBytes = 8 * 4 + 8 + BlockBytes;

    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] _hash = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    private readonly byte[] _pending = new byte[BlockBytes];
    private long _length;

    /// <summary>How many bytes have been appended.</summary>
    public long Length => _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        var pending = (int)(_length % BlockBytes);
        _length += data.Length;
        if (pending > 0)
        {
            var take = Math.Min(BlockBytes - pending, data.Length);
            data[..take].CopyTo(_pending.AsSpan(pending));
            data = data[take..];
            if (pending + take < BlockBytes)
            {
                return;
            }

            Compress(_pending);
        }

        while (data.Length >= BlockBytes)
        {
            Compress(data[..BlockBytes]);
            data = data[BlockBytes..];
        }

        data.CopyTo(_pending);
    }

    /// <summary>The hash of everything appended, as lower-case hex; the running state is left as it was.</summary>
    public string HexDigest()
    {
        var copy = Resume(Save());
        var pending = (int)(copy._length % BlockBytes);
        Span<byte> tail = stackalloc byte[BlockBytes * 2];
        copy._pending.AsSpan(0, pending).CopyTo(tail);
        tail[pending] = 0x80;
        var tailLength = pending + 9 <= BlockBytes ? BlockBytes : BlockBytes * 2;
        BinaryPrimitives.WriteInt64BigEndian(tail[(tailLength - 8)..], copy._length * 8);
        copy.Compress(tail[..BlockBytes]);
        if (tailLength > BlockBytes)
        {
            copy.Compress(tail[BlockBytes..]);
        }

        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], copy._hash[i]);
        }

        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The running state (104 bytes), to be stored and given to <see cref="Resume"/>.</summary>
    public byte[] Save()
    {
        var state = new byte[StateBytes];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(state.AsSpan(i * 4), _hash[i]);
        }

        BinaryPrimitives.WriteInt64BigEndian(state.AsSpan(32), _length);
        _pending.CopyTo(state.AsSpan(40));
        return state;
    }

    public static ResumableSha256 Resume(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateBytes)
        {
            throw new ArgumentException("Not a saved SHA-256 state.", nameof(state));
        }

        var hash = new ResumableSha256 { _length = BinaryPrimitives.ReadInt64BigEndian(state[32..]) };
        for (var i = 0; i < 8; i++)
        {
            hash._hash[i] = BinaryPrimitives.ReadUInt32BigEndian(state[(i * 4)..]);
        }

        state[40..].CopyTo(hash._pending);
        return hash;
    }

    private void Compress(ReadOnlySpan<byte> block)
    {
        Span<uint> w = stackalloc uint[64];
        for (var i = 0; i < 16; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
        }

        for (var i = 16; i < 64; i++)
        {
            var s0 = BitOperations.RotateRight(w[i - 15], 7) ^ BitOperations.RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[i - 2], 17) ^ BitOperations.RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }

        uint a = _hash[0], b = _hash[1], c = _hash[2], d = _hash[3], e = _hash[4], f = _hash[5], g = _hash[6], h = _hash[7];
        for (var i = 0; i < 64; i++)
        {
            var t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + RoundConstants[i] + w[i];
            var t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        _hash[0] += a;
        _hash[1] += b;
        _hash[2] += c;
        _hash[3] += d;
        _hash[4] += e;
        _hash[5] += f;
        _hash[6] += g;
        _hash[7] += h;
    }
}
