/**
 * Where the app finds the model: empty until it has been loaded at boot (so /ready says 503 until then).
 */
import { ApiError } from "./api-error";
import type { ServedModel } from "./served-model";

export class ModelSlot {
  private model: ServedModel | undefined;

  get ready(): boolean {
    return this.model !== undefined;
  }

  set(model: ServedModel): void {
    this.model = model;
  }

  /** The model, or a 503 `not_ready` for requests that arrive before it is loaded. */
  get(): ServedModel {
    if (this.model === undefined)
      throw new ApiError("not_ready", "the model is still loading; retry shortly");
    return this.model;
  }
}
