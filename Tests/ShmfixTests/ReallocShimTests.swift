import CReallocShim
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The static binary's realloc (`Sources/CReallocShim`, linked with `--wrap=realloc`): a small
/// block is moved by malloc, memcpy and free with its bytes kept, a block with room enough is
/// kept, and everything else goes to the allocator's own realloc. The fallback here returns a
/// marker pointer, so a test sees which way a call went without any state of its own.
@Suite struct ReallocShimTests {
    /// A pointer no allocator returns, given back by `markingFallback`.
    static var marker: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: 0x5A5A_5A50) }

    /// Records nothing, allocates nothing: returns `marker`.
    static var markingFallback: shmfix_realloc_function { { _, _ in UnsafeMutableRawPointer(bitPattern: 0x5A5A_5A50) } }

    @Test func growsASmallBlockKeepingItsBytes() throws {
        let block = try #require(malloc(16))
        let bytes = block.bindMemory(to: UInt8.self, capacity: 16)
        for index in 0..<16 { bytes[index] = UInt8(index + 1) }
        let grown = try #require(shmfix_realloc_small(block, 40, Self.markingFallback))
        defer { free(grown) }
        #expect(grown != Self.marker)
        #expect(malloc_usable_size(grown) >= 40)
        let kept = grown.bindMemory(to: UInt8.self, capacity: 16)
        #expect((0..<16).map { kept[$0] } == (1...16).map { UInt8($0) })
    }

    @Test func keepsABlockThatHasRoomEnough() throws {
        let block = try #require(malloc(64))
        defer { free(block) }
        let usable = malloc_usable_size(block)
        #expect(shmfix_realloc_small(block, usable, Self.markingFallback) == block)
        #expect(shmfix_realloc_small(block, 1, Self.markingFallback) == block)
    }

    @Test func leavesEverythingElseToTheAllocator() throws {
        // A null pointer (realloc as malloc) and a size of 0 (realloc as free).
        #expect(shmfix_realloc_small(nil, 16, Self.markingFallback) == Self.marker)
        let block = try #require(malloc(16))
        defer { free(block) }
        #expect(shmfix_realloc_small(block, 0, Self.markingFallback) == Self.marker)
        // Growing past the small-block limit.
        #expect(shmfix_realloc_small(block, Int(SHMFIX_REALLOC_SMALL_BLOCK) + 1, Self.markingFallback) == Self.marker)
        // A block larger than the limit, even when asked to shrink.
        let large = try #require(malloc(Int(SHMFIX_REALLOC_SMALL_BLOCK) * 2))
        defer { free(large) }
        #expect(shmfix_realloc_small(large, 16, Self.markingFallback) == Self.marker)
    }

    @Test func unwrappedItIsTheSystemRealloc() throws {
        // The test build is not linked with `--wrap=realloc`: `__wrap_realloc` is realloc.
        let block = try #require(malloc(8))
        block.storeBytes(of: 0x1234_5678, as: UInt32.self)
        let grown = try #require(__wrap_realloc(block, 10_000))
        defer { free(grown) }
        #expect(grown.load(as: UInt32.self) == 0x1234_5678)
    }
}
