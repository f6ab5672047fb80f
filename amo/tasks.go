package amo

import (
	"context"
	"fmt"
	"time"
)

// wireTask is a task as API v4 sends it (API.md §4.7). result is [] or {"text": …}.
type wireTask struct {
	ID                int64      `json:"id"`
	ResponsibleUserID int64      `json:"responsible_user_id"`
	EntityID          flexInt    `json:"entity_id"`
	EntityType        flexString `json:"entity_type"`
	TaskTypeID        flexInt    `json:"task_type_id"`
	Text              flexString `json:"text"`
	IsCompleted       bool       `json:"is_completed"`
	CompleteTill      unixTime   `json:"complete_till"`
	Duration          flexInt    `json:"duration"`
	Result            taskResult `json:"result"`
	CreatedBy         flexInt    `json:"created_by"`
	UpdatedBy         flexInt    `json:"updated_by"`
	CreatedAt         unixTime   `json:"created_at"`
	UpdatedAt         unixTime   `json:"updated_at"`
}

func (w *wireTask) model() Task {
	return Task{
		ID: TaskID(w.ID), ResponsibleUserID: UserID(w.ResponsibleUserID),
		EntityID: int64(w.EntityID), EntityType: string(w.EntityType),
		TaskTypeID: int64(w.TaskTypeID), Text: string(w.Text), IsCompleted: w.IsCompleted,
		CompleteTill: w.CompleteTill.Time, Duration: int64(w.Duration), Result: string(w.Result),
		CreatedBy: UserID(w.CreatedBy), UpdatedBy: UserID(w.UpdatedBy),
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time,
	}
}

func decodeTasks(body []byte, ch *Changes) (pageInfo, error) {
	var times []time.Time
	info, err := decodeItems(body, "tasks", ch, func(w *wireTask) {
		ch.Tasks = append(ch.Tasks, w.model())
		times = append(times, w.UpdatedAt.Time)
	})
	for _, t := range times {
		info.note(t)
	}
	return info, err
}

// ListTasks returns the tasks updated within w, open and completed.
// API: GET /api/v4/tasks
func (c *Client) ListTasks(ctx context.Context, w Window) ([]Task, error) {
	ch, err := c.list(ctx, c.defs[ListKeyTasks], w)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	return ch.Tasks, nil
}
