/**
 * Request and response classes for node:http whose objects are born with the Express app's prototypes.
 * Express's app.handle() gives every request and response the app's prototypes with Object.setPrototypeOf,
 * which moves both objects to new hidden classes on every request; V8 then reaches their properties more
 * slowly, in Node's http code as well as in ours. Objects created with those prototypes already leave
 * setPrototypeOf nothing to change. Everything else about them is node:http's IncomingMessage and
 * ServerResponse (their constructors run as they are), so `instanceof` and Node's own code see what they expect.
 */
import { IncomingMessage, ServerResponse } from "node:http";
import type { Express } from "express";

export interface MessageClasses {
  readonly IncomingMessage: typeof IncomingMessage;
  readonly ServerResponse: typeof ServerResponse;
}

/** The classes to give http.createServer for `app`. */
export function expressMessages(app: Express): MessageClasses {
  return {
    IncomingMessage: bornWith(IncomingMessage, app.request),
    ServerResponse: bornWith(ServerResponse, app.response),
  };
}

/** A constructor that runs `base` but gives its objects `prototype` (which must inherit from base's). */
function bornWith<C extends new (...args: never[]) => object>(base: C, prototype: object): C {
  if (!(prototype instanceof base)) throw new Error(`the prototype does not inherit from ${base.name}`);
  function Born(...args: ConstructorParameters<C>): object {
    return Reflect.construct(base, args, Born) as object;
  }
  Born.prototype = prototype;
  return Born as unknown as C;
}
