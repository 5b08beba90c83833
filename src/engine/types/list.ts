/** The list value type (being filled in by its command family). */
export class ListValue {}
