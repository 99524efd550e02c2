/**
 * A typed array kept from one call to the next and grown to the largest length asked of it, for work
 * that needs megabytes of scratch memory on every call: on a virtual machine each first touch of a
 * fresh 4 KiB page faults, and clearing 100,000 bids in fresh arrays spent a third of its time
 * faulting in their 12 MB. Each call gets a view of exactly the length it asks for, holding whatever
 * the last call left there: the caller writes every element before it reads it, and lets go of the
 * view before it returns, since the next call writes over it.
 */
export function reusedArray<T extends { readonly length: number; subarray(begin: number, end: number): T }>(
  make: (length: number) => T,
): (length: number) => T {
  let kept = make(0);
  return (length) => {
    // Half again as much as asked, so that a book growing cycle by cycle does not reallocate each time.
    if (kept.length < length) kept = make(Math.ceil(length * 1.5));
    return kept.subarray(0, length);
  };
}
