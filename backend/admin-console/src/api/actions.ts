import { ref } from 'vue';
import { ElMessageBox } from 'element-plus';
import { ApiProblem } from './client';

/**
 * A list's row actions: each runs, says what it did (or the server's words for why not) above the list, and the list is
 * read again either way, since another desk may have decided the row meanwhile.
 */
export function useRowActions(reload: () => Promise<void>) {
  const message = ref('');
  const messageType = ref<'success' | 'error'>('success');

  async function run(action: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await action();
      messageType.value = 'success';
      message.value = done;
    } catch (e) {
      // Closing the reason box is no error.
      if (e instanceof ApiProblem) {
        messageType.value = 'error';
        message.value = e.message;
      }
    }
    await reload();
  }

  return { message, messageType, run };
}

/** Asks for a reason the person concerned will read; rejects when the box is closed. */
export async function askReason(question: string, title: string, confirm = '确定'): Promise<string> {
  const { value } = await ElMessageBox.prompt(question, title, {
    confirmButtonText: confirm,
    cancelButtonText: '取消',
    inputValidator: (v) => (v ?? '').trim().length >= 2 || '理由至少 2 个字',
  });
  return value;
}
