/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package org.ioaio.sample.jobs;

import java.net.URI;
import java.util.List;
import org.ioaio.sample.api.ApiProblem;
import org.ioaio.sample.jobs.JobService.JobRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Background jobs: {@code POST /api/jobs} starts one ({@code {"op":"copy","src":"library","dst":"backup"}}),
 * {@code GET /api/jobs} lists them, {@code GET /api/jobs/{id}} shows one (state, phase, done/total),
 * {@code DELETE /api/jobs/{id}} cancels one and its engine requests.
 */
@RestController
@RequestMapping("/api/jobs")
public class JobsController {

    private final JobService jobs;

    /** The jobs API. */
    public JobsController(JobService jobs) {
        this.jobs = jobs;
    }

    /** Starts a job: 202 with the job and its Location. */
    @PostMapping
    public Mono<ResponseEntity<Job.View>> start(@RequestBody JobRequest request) {
        return jobs.create(request).map(job -> ResponseEntity.accepted()
                .location(URI.create("/api/jobs/" + job.id()))
                .body(job.view()));
    }

    /** Every job remembered, newest first. */
    @GetMapping
    public List<Job.View> list() {
        return jobs.list().stream().map(Job::view).toList();
    }

    /** One job. */
    @GetMapping("/{id}")
    public Job.View get(@PathVariable long id) {
        return job(id).view();
    }

    /** Cancels a running job: 202 while it stops (state cancelling, then cancelled); 409 once it has finished. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Job.View> cancel(@PathVariable long id) {
        Job job = job(id);
        if (!jobs.cancel(job)) {
            throw ApiProblem.conflict("job-finished", "Job already finished",
                    "Job " + id + " has already finished (" + job.view().state() + "); there is nothing to cancel", null);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(job.view());
    }

    private Job job(long id) {
        return jobs.find(id).orElseThrow(() -> ApiProblem.notFound("no-such-job", "No such job",
                "There is no job " + id + " (finished jobs are forgotten after sample.jobs.retained others)", null));
    }
}
