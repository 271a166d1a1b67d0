/** A vector store as GET /v1/vector_stores shows it (the SDK types it loosely). */
export interface StoreView {
  id: string;
  name: string | null;
  created_at: number;
  usage_bytes: number;
  status: 'in_progress' | 'completed';
  file_counts: { in_progress: number; completed: number; failed: number; cancelled: number; total: number };
}
