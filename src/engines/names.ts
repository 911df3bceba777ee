/** Registered names of the node's engines; addresses use these. */
export const ROUTER = "router";
export const LOGGER = "logger";
export const STORAGE = "storage";
export const ORDERING = "ordering";
export const MEMPOOL = "mempool";
export const EXECUTOR = "executor";
export const API = "api";
