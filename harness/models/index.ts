/** What the rest of the harness may use of models/: everything else in the folder is its own. */
export { type ChatClient, type ChatFailure, createChatClient, excerpt } from './chat-client';
