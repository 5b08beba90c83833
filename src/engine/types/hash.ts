/** The hash value type (being filled in by its command family). */
export class HashValue {}
