// The upgrade engine (issue 5) grows here. The boot layer imports only ./manifest, so
// it stays small and never pulls in the swarm fetch or the hot swap.
export * from "./manifest";
