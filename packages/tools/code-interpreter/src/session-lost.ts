/** What the model reads when a call ended its session: why, and that its state is gone. */
export function lostSessionMessage(why: string): string {
  const sentence = why.charAt(0).toUpperCase() + why.slice(1);
  return `${sentence}. The session was reset: variables, imports and files from earlier calls are gone.`;
}
