/// An append-only buffer of plain values that the reader fills while libyaml parses: an append
/// is a capacity check and a store, without the uniqueness check and the generic path of
/// `Array.append`, which cost more than libyaml's own work per event.
///
/// Not copyable: its one owner frees the memory (`deinit`). The parse that fills it hands it over
/// to the `YAMLTree` it builds, which only reads it from then on (hence `Sendable`).
///
/// It holds at most `Int32.max` elements (more is a fatal error, as converting such a count to
/// `Int32` would be), so a count or index always fits the `Int32` fields of the tree's records.
struct GrowableBuffer<Element: BitwiseCopyable>: ~Copyable, @unchecked Sendable {
    private static var maximumCount: Int { Int(Int32.max) }

    private var base: UnsafeMutablePointer<Element>
    /// At most `maximumCount`.
    private var capacity: Int
    /// The number of elements appended.
    private(set) var count = 0

    /// `count` as an `Int32` (it always fits).
    var count32: Int32 { Int32(truncatingIfNeeded: count) }

    init(capacity: Int) {
        self.capacity = min(max(capacity, 16), Self.maximumCount)
        base = .allocate(capacity: self.capacity)
    }

    /// The element at `index` (which must be below `count`).
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "index out of range")
            base[index] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        (base + count).initialize(to: element)
        count &+= 1  // below `capacity`, which is at most `Int32.max`
    }

    /// Removes and returns the last element, if any.
    @inline(__always)
    mutating func popLast() -> Element? {
        guard count > 0 else { return nil }
        count &-= 1
        return base[count]
    }

    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress, !elements.isEmpty else { return }
        if count + elements.count > capacity { grow(to: count + elements.count) }
        (base + count).initialize(from: source, count: elements.count)
        count += elements.count
    }

    /// Moves elements `start..<count` of `other` to the end of this buffer.
    @inline(__always)
    mutating func append(movingSuffixOf other: inout GrowableBuffer<Element>, from start: Int) {
        precondition(start >= 0 && start <= other.count, "index out of range")
        append(contentsOf: UnsafeBufferPointer(start: other.base + start, count: other.count - start))
        other.count = start
    }

    /// Calls `body` with the elements appended so far.
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    deinit {
        base.deallocate()
    }

    private mutating func grow(to needed: Int) {
        precondition(needed <= Self.maximumCount, "more than Int32.max elements")
        let newCapacity = min(max(needed, capacity * 2), Self.maximumCount)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
