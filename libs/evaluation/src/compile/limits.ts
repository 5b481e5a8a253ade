/** Longest chain of prerequisites evaluated before giving up with ERROR (cycles end sooner). */
export const MAX_PREREQUISITE_DEPTH = 16;
