package io.instantonbench.library.web;

import io.instantonbench.library.service.LoanRefusedException;
import io.instantonbench.library.service.MemberForm;
import io.instantonbench.library.service.MemberService;
import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** Members: the list and the join form (validated; errors shown beside the fields). */
@Controller
public class MemberController {
  private final MemberService members;

  public MemberController(MemberService members) {
    this.members = members;
  }

  @GetMapping("/members")
  public String list(Model model) {
    model.addAttribute("members", members.all());
    model.addAttribute("form", new MemberForm());
    return "members";
  }

  @PostMapping("/members")
  public String join(@Valid @ModelAttribute("form") MemberForm form, BindingResult errors, Model model) {
    if (!errors.hasErrors()) {
      try {
        members.join(form);
        return "redirect:/members";
      } catch (LoanRefusedException e) {
        errors.rejectValue("email", "taken", e.getMessage());
      }
    }
    model.addAttribute("members", members.all());
    return "members";
  }
}
