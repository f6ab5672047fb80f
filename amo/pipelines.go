package amo

import (
	"context"
	"fmt"
	"net/url"
)

type wireStatus struct {
	ID         int64      `json:"id"`
	PipelineID int64      `json:"pipeline_id"`
	Name       flexString `json:"name"`
	Sort       flexInt    `json:"sort"`
	Type       flexInt    `json:"type"`
}

type wirePipeline struct {
	ID        int64                    `json:"id"`
	Name      flexString               `json:"name"`
	Sort      flexInt                  `json:"sort"`
	IsMain    bool                     `json:"is_main"`
	IsArchive bool                     `json:"is_archive"`
	Embedded  object[pipelineEmbedded] `json:"_embedded"`
}

// pipelineEmbedded is the _embedded object of the item above.
type pipelineEmbedded struct {
	Statuses []wireStatus `json:"statuses"`
}

type wireLossReason struct {
	ID   int64      `json:"id"`
	Name flexString `json:"name"`
	Sort flexInt    `json:"sort"`
}

type wireCustomField struct {
	ID               int64      `json:"id"`
	Name             flexString `json:"name"`
	Code             flexString `json:"code"`
	Type             flexString `json:"type"`
	Sort             flexInt    `json:"sort"`
	RequiredStatuses []struct {
		StatusID   int64 `json:"status_id"`
		PipelineID int64 `json:"pipeline_id"`
	} `json:"required_statuses"`
}

func (w *wirePipeline) model() Pipeline {
	pl := Pipeline{ID: PipelineID(w.ID), Name: string(w.Name), Sort: int(w.Sort), IsMain: w.IsMain, IsArchive: w.IsArchive}
	for _, s := range w.Embedded.V.Statuses {
		pid := s.PipelineID
		if pid == 0 {
			pid = w.ID
		}
		pl.Statuses = append(pl.Statuses, Status{ID: StatusID(s.ID), PipelineID: PipelineID(pid),
			Name: string(s.Name), Sort: int(s.Sort), Type: int(s.Type)})
	}
	return pl
}

func (w *wireLossReason) model() LossReason {
	return LossReason{ID: LossReasonID(w.ID), Name: string(w.Name), Sort: int(w.Sort)}
}

func (w *wireCustomField) model(entityType string) CustomField {
	f := CustomField{ID: FieldID(w.ID), EntityType: entityType, Name: string(w.Name),
		Code: string(w.Code), Type: string(w.Type), Sort: int(w.Sort)}
	for _, r := range w.RequiredStatuses {
		f.RequiredStatuses = append(f.RequiredStatuses, StatusRef{PipelineID: PipelineID(r.PipelineID), StatusID: StatusID(r.StatusID)})
	}
	return f
}

// dict pages through a dictionary endpoint, handing each item under _embedded[key] to f.
func dict[W any](ctx context.Context, c *Client, path, key string, f func(w *W)) error {
	d := listDef{key: key, path: path, limit: pageLimit, query: url.Values{},
		decode: func(body []byte, ch *Changes) (pageInfo, error) { return decodeItems(body, key, ch, f) }}
	return c.readAll(ctx, d, &Changes{})
}

// Pipelines returns every pipeline with its statuses in display order.
// API: GET /api/v4/leads/pipelines
func (c *Client) Pipelines(ctx context.Context) ([]Pipeline, error) {
	out := []Pipeline{}
	err := dict(ctx, c, "/api/v4/leads/pipelines", "pipelines", func(w *wirePipeline) { out = append(out, w.model()) })
	if err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	return out, nil
}

// LossReasons returns the loss-reason dictionary (empty when the feature is off).
// API: GET /api/v4/leads/loss_reasons
func (c *Client) LossReasons(ctx context.Context) ([]LossReason, error) {
	out := []LossReason{}
	err := dict(ctx, c, "/api/v4/leads/loss_reasons", "loss_reasons", func(w *wireLossReason) { out = append(out, w.model()) })
	if err != nil {
		return nil, fmt.Errorf("list loss reasons: %w", err)
	}
	return out, nil
}

// CustomFields returns the custom fields of entityType (EntityLeads or EntityContacts).
// API: GET /api/v4/leads/custom_fields, GET /api/v4/contacts/custom_fields
func (c *Client) CustomFields(ctx context.Context, entityType string) ([]CustomField, error) {
	if entityType != EntityLeads && entityType != EntityContacts {
		return nil, fmt.Errorf("list custom fields: unsupported entity type %q", entityType)
	}
	out := []CustomField{}
	err := dict(ctx, c, "/api/v4/"+entityType+"/custom_fields", "custom_fields", func(w *wireCustomField) {
		out = append(out, w.model(entityType))
	})
	if err != nil {
		return nil, fmt.Errorf("list %s custom fields: %w", entityType, err)
	}
	return out, nil
}
