import { request } from "node:http";

export interface HttpReply {
  status: number;
  text: string;
}

/**
 * One HTTP request to the local control API with node:http rather than fetch: fetch
 * (undici) cannot connect under wine, where the Windows binary is tested, and loading
 * it costs every CLI call several milliseconds of start-up.
 */
export function httpRequest(
  url: string,
  o: { method: string; headers: Record<string, string>; body?: string | Uint8Array },
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method, headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    // fetch reported a refused connection as `cause`; keep that shape for causeOf().
    req.on("error", (err) => reject(Object.assign(new Error(err.message), { cause: err })));
    req.end(o.body);
  });
}
